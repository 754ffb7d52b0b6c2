import { NOT_A_SINGLE_ADDRESS, parseClientAddress, singleLineHeader } from './client-address';

describe('parseClientAddress', () => {
  it.each(['ada@client.test', 'first.last+tag@mail.example.co.uk', "o'brien@studio-9.example", '  ada@client.test  ', 'A_B-c@x.io'])('accepts %j', (raw) => {
    expect(parseClientAddress(raw)).toEqual({ ok: true, address: raw.trim() });
  });

  it.each([
    ['a CRLF header injection', 'a@b.c\r\nBcc: x@y.z'],
    ['a bare LF', 'a@b.c\nBcc: x@y.z'],
    ['a bare CR', 'a@b.c\rx@y.z'],
    ['a NUL', 'a@b.c\u0000'],
    ['a tab', 'a@b.c\tx@y.z'],
    ['a Unicode line separator', 'a@b.c\u2028Bcc: x@y.z'],
    ['a C1 next-line', 'a@b.c\u0085x@y.z'],
    ['two addresses with a comma', 'a@b.c, x@y.z'],
    ['two addresses with a semicolon', 'a@b.c;x@y.z'],
    ['two addresses with a space', 'a@b.c x@y.z'],
    ['a group', 'Bcc: x@y.z'],
    ['a display name', 'Ada <a@b.c>'],
    ['angle brackets', '<x@y.z>'],
    ['a quoted local part', '"a,b"@c.d'],
    ['a comment', 'a@b.c(x@y.z)'],
    ['two at signs', 'a@b@c.d'],
    ['no domain', 'a@'],
    ['no local part', '@b.c'],
    ['no dot in the domain', 'a@localhost'],
    ['a leading dot', '.a@b.c'],
    ['two dots', 'a..b@c.d'],
    ['a hyphen at a label end', 'a@b-.c'],
    ['an IP literal', 'a@[127.0.0.1]'],
    ['a bare IP', 'a@127.0.0.1'],
    ['an overlong local part', `${'a'.repeat(65)}@b.c`],
  ])('refuses %s', (_what, raw) => {
    expect(parseClientAddress(raw)).toEqual({ ok: false, reason: NOT_A_SINGLE_ADDRESS });
  });

  it.each([null, undefined, '', '   '])('says there is no email for %j', (raw) => {
    expect(parseClientAddress(raw)).toEqual({ ok: false, reason: 'the client has no email in Stripe' });
  });
});

describe('singleLineHeader', () => {
  it('turns CR, LF and other control characters into single spaces', () => {
    expect(singleLineHeader('payrisk: Evil\r\nBcc: x@y.z\u0000 Co')).toBe('payrisk: Evil Bcc: x@y.z Co');
    expect(singleLineHeader('Café 🚀 Studio')).toBe('Café 🚀 Studio');
  });
});
