import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { contentSecurityPolicy } from '../../common/http/security-headers';

/** Where `vite build` puts the dashboard: `<package root>/dist/web` (found from src/ or dist/src/). */
export function dashboardDir(): string | undefined {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  const built = join(dir, 'dist', 'web');
  return existsSync(join(built, 'index.html')) ? built : undefined;
}

/** The one CSP (security-headers.ts); ECharts' tooltips need inline style attributes (not elements, not scripts). */
export const DASHBOARD_CSP = contentSecurityPolicy({ 'style-src-attr': ["'unsafe-inline'"] });

/** Paths the server itself answers; everything else that asks for HTML is a dashboard route. */
const SERVER_PATHS = /^\/(api|health|webhooks|approvals|connect)(\/|$)/;

/**
 * Serves the built SPA at `/`: hashed assets under /assets (cached for a year), and
 * index.html for every dashboard route (/, /clients, /clients/:id, /actions, /reports/:name,
 * /policies, /login) so deep links and reloads work. The API stays under /api.
 */
export function serveDashboard(app: NestExpressApplication): void {
  const dir = dashboardDir();
  const express = app.getHttpAdapter().getInstance() as { use(handler: (req: Request, res: Response, next: NextFunction) => void): void };
  const index = dir ? readFileSync(join(dir, 'index.html'), 'utf8') : undefined;
  app.useStaticAssets(dir ?? join(__dirname, 'missing'), {
    index: false,
    immutable: true,
    maxAge: '365d',
    prefix: '/',
    fallthrough: true,
    setHeaders: (res) => res.setHeader('Content-Security-Policy', DASHBOARD_CSP),
  });
  express.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || SERVER_PATHS.test(req.path) || /\.[a-z0-9]+$/i.test(req.path)) return next();
    res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
    res.setHeader('Cache-Control', 'no-cache');
    if (!index) {
      res.status(503).type('text/plain').send('The dashboard is not built: run "npm run build" (npm start does it).');
      return;
    }
    res.type('html').send(index);
  });
}
