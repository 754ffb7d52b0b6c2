/**
 * The HTML frame every owner email shares: one column, inline styles, system fonts,
 * no images and no tracking pixels, so it reads the same on a phone as on a desktop.
 * `{{{body}}}` is the already-escaped HTML of the kind's own template.
 */
export const layoutHtml =
  `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{subject}}</title></head>
<body style="margin:0;padding:0;background:#f4f4f5;">
<div style="max-width:560px;margin:0 auto;padding:16px;` +
  `font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#18181b;background:#ffffff;">
{{{body}}}
<p style="margin-top:24px;font-size:13px;color:#71717a;">Sent by payrisk. You receive this because you are the owner of this Stripe account.</p>
</div></body></html>`;

export const buttonStyle = 'display:inline-block;padding:10px 16px;margin:4px 8px 4px 0;border-radius:6px;text-decoration:none;font-weight:600;';
