import Handlebars from 'handlebars';
import { contentSecurityPolicy, styleHash } from '../../common/http/security-headers';

/** The page's one inline style; its Content-Security-Policy (CONNECT_PAGE_CSP) allows exactly it, by hash. */
const CONNECT_PAGE_CSS = 'body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}';

export const CONNECT_PAGE_CSP = contentSecurityPolicy({ 'style-src': [styleHash(CONNECT_PAGE_CSS)] });

// Handlebars, as every page and email payrisk renders: each {{value}} is escaped.
const page = Handlebars.create().compile(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{title}} · payrisk</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><style>{{{css}}}</style></head>
<body>
<h1>{{title}}</h1>
<p>{{message}}</p>
<p><a href="/">Back to payrisk</a></p>
</body></html>
`);

/** The small page a person lands on after Stripe: what happened and what to do next (no script, no outside resource). Send it with CONNECT_PAGE_CSP. */
export function connectPage(title: string, message: string): string {
  return page({ title, message, css: CONNECT_PAGE_CSS });
}
