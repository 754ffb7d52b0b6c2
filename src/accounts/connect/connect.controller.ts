import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../auth/public.decorator';
import { CONNECT_BROWSER_COOKIE, CONNECT_STATE_MINUTES } from './connect-state';
import { CONNECT_PAGE_CSP, connectPage } from './connect-page';
import { connectCallbackQuery, ConnectStartDto } from './connect.schemas';
import { ConnectService } from './connect.service';
import { InstanceOwnerOnly } from '../../auth/account-access.decorator';

/** The cookie value in a Cookie header (the web-session module's reader is out of this layer's reach). */
const cookieOf = (header: string | undefined, name: string): string | undefined => {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
};

const firstIssue = (error: { issues: { path: PropertyKey[]; message: string }[] }) =>
  `${String(error.issues[0].path[0] ?? 'query')}: ${error.issues[0].message}`;

/**
 * Stripe Connect (OAuth, Standard accounts), outside /api: people follow these in a browser.
 * `start` needs the API token or a dashboard session (the auth guard); `callback` is public,
 * since Stripe's redirect carries neither: the signed, single-use state proves it.
 */
@ApiExcludeController()
@Controller('connect')
export class ConnectController {
  constructor(private readonly connect: ConnectService) {}

  @InstanceOwnerOnly()
  @Get('start')
  async start(@Query() query: ConnectStartDto, @Req() req: Request & { webSession?: unknown }, @Res() res: Response): Promise<void> {
    const problem = this.connect.notConfigured();
    if (problem) return sendPage(res, 400, 'Connect is not set up', problem);
    const started = await this.connect.start(req.webSession ? 'session' : 'api_token', query.name);
    if (started.browserKey)
      // Lax, not the session's Strict: it must come back on Stripe's cross-site redirect to the callback.
      res.cookie(CONNECT_BROWSER_COOKIE, started.browserKey, {
        httpOnly: true,
        sameSite: 'lax',
        secure: req.protocol === 'https' || (req.headers['x-forwarded-proto'] ?? '') === 'https',
        path: '/connect',
        maxAge: CONNECT_STATE_MINUTES * 60_000,
      });
    res.redirect(302, started.url);
  }

  @Public()
  @Get('callback')
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const query = connectCallbackQuery.safeParse(req.query ?? {});
    if (!query.success) return sendPage(res, 400, 'Connection failed', `${firstIssue(query.error)}. Start again from payrisk.`);
    const outcome = await this.connect.finish(query.data, cookieOf(req.headers.cookie, CONNECT_BROWSER_COOKIE));
    res.clearCookie(CONNECT_BROWSER_COOKIE, { path: '/connect' });
    if (!outcome.ok) return sendPage(res, outcome.status, outcome.title, outcome.message);
    sendPage(
      res,
      200,
      'Account connected',
      `${outcome.name} (${outcome.stripeAccountId}) is ${outcome.created ? 'connected' : 'connected again'}: payrisk reaches it through the platform's key.`,
    );
  }
}

/** A Connect page with the policy that lets its one style through (the app's default allows none inline). */
function sendPage(res: Response, status: number, title: string, message: string): void {
  res.status(status).setHeader('Content-Security-Policy', CONNECT_PAGE_CSP);
  res.type('html').send(connectPage(title, message));
}
