import { styleHash } from '../../common/http/security-headers';
import { CONNECT_PAGE_CSP, connectPage } from './connect-page';

describe('connectPage', () => {
  it('escapes what Stripe or the person sent back, in the title and the message', () => {
    const html = connectPage('Failed <b>now</b>', 'error_description=<script>alert(1)</script> & more');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('<h1>Failed &lt;b&gt;now&lt;/b&gt;</h1>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; more');
  });

  it('styles itself only with the <style> its Content-Security-Policy allows by hash (no style attributes)', () => {
    const html = connectPage('Account connected', 'Acme is connected.');
    const styles = [...html.matchAll(/<style>([^<]*)<\/style>/g)].map((m) => m[1]);
    expect(styles).toHaveLength(1);
    expect(CONNECT_PAGE_CSP).toContain(styleHash(styles[0]));
    expect(html).not.toMatch(/\sstyle=/);
  });
});
