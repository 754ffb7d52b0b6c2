import { Body, Controller, Delete, Get, HttpCode, Inject, Logger, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/public.decorator';
import { DomainError } from '../common/errors';
import { APP_CONFIG, AppConfig } from '../config';
import { createMailTransport } from '../notifications/mail/mail-transport';
import { renderSignInHtml } from '../notifications/templates/email-renderer';
import { EmailLinkDto, SessionViewDto, SignInDto, SignInLinkDto } from './session.schemas';
import { SESSION_COOKIE, SESSION_HOURS, SIGN_IN_CODE_MINUTES, WebSession, WebSessionService } from './web-session.service';

/** What the auth guard leaves on a request signed in with the cookie. */
export type RequestWithSession = Request & { webSession?: WebSession };

const view = (session: WebSession | undefined): SessionViewDto => ({
  signedIn: true,
  csrfToken: session?.csrfToken,
  expiresAt: session?.expiresAt.toISOString(),
  stripeAccountId: session?.stripeAccountId ?? undefined,
  via: session ? 'session' : 'token',
});

const masked = (email: string) => email.replace(/^(.)[^@]*(@.*)$/, '$1…$2');

/** Sign-in for people: one-time links → an HttpOnly SameSite cookie + a CSRF token; sign out. */
@ApiTags('session')
@Controller('session')
export class SessionController {
  private readonly logger = new Logger(SessionController.name);
  private lastEmailAt = 0;

  constructor(
    private readonly sessions: WebSessionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Spends a sign-in code and sets the session cookie. */
  @Public()
  @Post()
  @HttpCode(200)
  @ApiOkResponse({ type: SessionViewDto.Output })
  async signIn(@Body() body: SignInDto, @Res({ passthrough: true }) res: Response): Promise<SessionViewDto> {
    const opened = await this.sessions.redeem(body.code);
    if (!opened)
      throw new DomainError('unauthorized', 'This sign-in link is used, expired or unknown: ask for a new one ("npx payrisk login-link" or "Email me a link")');
    res.cookie(SESSION_COOKIE, opened.token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.publicUrl.startsWith('https:'),
      path: '/',
      maxAge: SESSION_HOURS * 3_600_000,
    });
    return view(opened.session);
  }

  /** Who is calling: the session (with its CSRF token) or a bearer token. */
  @Get()
  @ApiOkResponse({ type: SessionViewDto.Output })
  current(@Req() req: RequestWithSession): SessionViewDto {
    return view(req.webSession);
  }

  /** Signs out: ends the session in the database and clears the cookie. */
  @Delete()
  @HttpCode(204)
  async signOut(@Req() req: RequestWithSession, @Res({ passthrough: true }) res: Response): Promise<void> {
    if (req.webSession) await this.sessions.end(req.webSession.tokenHash);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  /** A fresh one-time sign-in link (what `payrisk login-link` prints). */
  @Post('links')
  @HttpCode(200)
  @ApiOkResponse({ type: SignInLinkDto.Output })
  async link(): Promise<SignInLinkDto> {
    const { url, expiresAt } = await this.sessions.issueSignInCode('cli');
    return { url, expiresAt: expiresAt.toISOString() };
  }

  /** Emails a sign-in link to OWNER_EMAIL (at most one a minute); anyone may ask, only the owner receives it. */
  @Public()
  @Post('email-link')
  @HttpCode(200)
  @ApiOkResponse({ type: EmailLinkDto.Output })
  async emailLink(): Promise<EmailLinkDto> {
    const to = this.config.mail.ownerEmail;
    if (Date.now() - this.lastEmailAt < 60_000) return { sentTo: masked(to) };
    this.lastEmailAt = Date.now();
    const { url, expiresAt } = await this.sessions.issueSignInCode('email');
    const transport = createMailTransport(this.config, { info: (line: string) => this.logger.log(line) });
    try {
      const text =
        `Sign in to payrisk: ${url}\n\nThe link works once, for ${SIGN_IN_CODE_MINUTES} minutes ` +
        `(until ${expiresAt.toISOString()}). If you did not ask for it, ignore this email.\n`;
      await transport.send({
        dedupeKey: `sign-in:${expiresAt.toISOString()}`,
        to,
        subject: 'Your payrisk sign-in link',
        text,
        html: renderSignInHtml(url, SIGN_IN_CODE_MINUTES),
        date: new Date(),
      });
    } finally {
      transport.close();
    }
    return { sentTo: masked(to) };
  }
}
