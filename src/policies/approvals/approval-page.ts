import { escapeHtml as escape } from '../../common/html/escape-html';

/** The pages' one inline style; the Content-Security-Policy allows exactly it, by hash. */
export const APPROVAL_PAGE_CSS =
  'body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#18181b}h1{font-size:1.4rem}button{font-size:1rem;padding:.7rem 1.4rem;border:0;border-radius:6px;background:#16a34a;color:#fff;cursor:pointer}button.reject{background:#52525b}.muted{color:#71717a;font-size:.9rem}';

/** The small HTML pages behind the one-click links: plain, readable on a phone, every value escaped. */
export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(title)} · payrisk</title>
<style>${APPROVAL_PAGE_CSS}</style>
</head><body><h1>${escape(title)}</h1>${body}</body></html>`;
}

export function confirmPage(describe: string, clientName: string, reason: string, decision: 'approve' | 'reject' | 'waive', expiresAt: Date): string {
  const verb = { approve: 'Approve', reject: 'Reject', waive: 'Waive' }[decision];
  return page(
    `${verb}: ${describe}`,
    `<p><strong>${escape(clientName)}</strong></p><p>${escape(reason)}</p>
<form method="post"><button type="submit" class="${decision}">${verb}</button></form>
<p class="muted">This link works once and expires ${escape(expiresAt.toISOString().slice(0, 16).replace('T', ' '))} UTC.</p>`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, `<p>${escape(message)}</p>`);
}
