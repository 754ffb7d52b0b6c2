import { connectPage } from './connect-page';

describe('connectPage', () => {
  it('escapes what Stripe or the person sent back, in the title and the message', () => {
    const html = connectPage('Failed <b>now</b>', 'error_description=<script>alert(1)</script> & more');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('<h1>Failed &lt;b&gt;now&lt;/b&gt;</h1>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; more');
  });
});
