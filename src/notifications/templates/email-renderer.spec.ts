import { describeAction, renderClientNoticeHtml, renderEmail, renderSignInHtml } from './email-renderer';

describe('renderEmail', () => {
  const evil = '<script>alert(1)</script> 🦄 "Quotes" & Co';

  it('escapes client data in HTML, keeps it verbatim in subject and text', () => {
    const email = renderEmail('pause', {
      customerId: 'cus_1',
      clientName: evil,
      arrears: [{ amount: 1200, currency: 'jpy' }],
      oldestDaysPastDue: 40,
      reason: 'late',
    });
    expect(email.subject).toBe(`payrisk: work for ${evil} is paused`);
    expect(email.text).toContain(`Work for ${evil} (cus_1) is paused.`);
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; 🦄 &quot;Quotes&quot; &amp; Co');
    expect(email.text).toContain('JP¥1,200');
  });

  it("escapes the client notice's HTML part and keeps its line breaks", () => {
    const html = renderClientNoticeHtml(`Dear ${evil},\nfrom March our prices rise.`);
    expect(html).not.toContain('<script>');
    expect(html).toContain('Dear &lt;script&gt;alert(1)&lt;/script&gt; 🦄 &quot;Quotes&quot; &amp; Co,\nfrom March our prices rise.');
    expect(html).toContain('white-space:pre-wrap');
  });

  it('puts the sign-in link into an attribute escaped', () => {
    expect(renderSignInHtml('https://payrisk.test/login?code=a"b&c=<d>', 15)).toContain(
      '<a href="https://payrisk.test/login?code&#x3D;a&quot;b&amp;c&#x3D;&lt;d&gt;">Sign in to payrisk</a></p><p>The link works once, for 15 minutes.',
    );
  });

  it('is a phone-friendly single column without images or tracking', () => {
    for (const kind of ['alert', 'action', 'pause', 'resume', 'digest'] as const) {
      const { html } = renderEmail(kind, { customerId: 'cus_1', clientName: 'X', arrears: [], stripeIds: {}, actionKind: 'late_fee' });
      expect(html).toContain('name="viewport"');
      expect(html).toContain('max-width:560px');
      expect(html).not.toMatch(/<img|<link|<script/i);
    }
  });

  it('says "nothing" and "none due" for empty approval and payment lists', () => {
    const { text } = renderEmail('digest', {
      weekOf: 'w',
      arrears: [],
      levels: [],
      fees: { assessed: [], collected: [], waived: [] },
      pendingApprovals: [],
      expectedPayments: [],
    });
    expect(text).toMatch(/Fees:\n- assessed: none\n- collected: none\n- waived: none/);
    expect(text).toMatch(/Waiting for your approval:\n- nothing/);
    expect(text).toMatch(/Expected payments next week:\n- none due/);
  });

  it('describes actions with their amount in the invoice currency', () => {
    expect(describeAction('late_fee', { amount: 1850, currency: 'eur' })).toBe('Late fee of €18.50');
    expect(describeAction('price_increase', undefined, { percent: 20 })).toBe('Price increase of 20%');
    expect(describeAction('work_pause')).toBe('Pause work');
  });
});
