import { Body, Controller, Delete, Get, HttpCode, Inject, Logger, Post, Put, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { AcrossAccounts, InstanceOwnerOnly } from '../auth/account-access.decorator';
import type { AuthorizedRequest } from '../auth/authorized-request';
import { chooseAccount } from '../auth/principal';
import { Public } from '../auth/public.decorator';
import { DomainError } from '../common/errors';
import { NoQuery } from '../common/http';
import { APP_CONFIG, AppConfig } from '../config';
import { createMailTransport } from '../notifications/mail/mail-transport';
import { renderSignInHtml } from '../notifications/templates/email-renderer';
import { findPersonByEmail, grantsOf } from '../people/people.query';
import { EmailLinkDto, EmailLinkRequestDto, SelectAccountDto, SessionViewDto, SignInDto, SignInLinkDto } from './session.schemas';
import { SESSION_COOKIE, SESSION_HOURS, SIGN_IN_CODE_MINUTES, WebSession, WebSessionService } from './web-session.service';

/** What the auth guard leaves on a request signed in with the cookie. */
export type RequestWithSession = AuthorizedRequest;

/** Who is calling, what they may see, and the account their requests act for unless they say otherwise. */
function view(req: AuthorizedRequest, session: WebSession | undefined = req.webSession): SessionViewDto {
  const accessible = req.accessibleAccounts ?? [];
  const selected = accessible.find((a) => a.stripeAccountId === session?.stripeAccountId);
  const principal = req.principal;
  return {
    signedIn: true,
    csrfToken: session?.csrfToken,
    expiresAt: session?.expiresAt.toISOString(),
    stripeAccountId: (selected ?? (accessible.length === 1 ? accessible[0] : undefined))?.stripeAccountId,
    via: session ? 'session' : 'token',
    person: principal?.kind === 'person' ? { email: principal.person.email, displayName: principal.person.displayName } : undefined,
    accounts: accessible.map((a) => ({ id: a.stripeAccountId, name: a.name, role: a.role })),
  };
}

const masked = (email: string) => email.replace(/^(.)[^@]*(@.*)$/, '$1…$2');

/**
 * Sign-in for people: one-time links → an HttpOnly SameSite cookie + a CSRF token; the account
 * switcher; sign out. About the caller, so across accounts (no Payrisk-Account needed).
 */
@ApiTags('session')
@AcrossAccounts()
@Controller('session')
export class SessionController {
  private readonly logger = new Logger(SessionController.name);
  /** When each address last got a link (lower-cased; the owner's under OWNER_EMAIL). */
  private readonly lastEmailAt = new Map<string, number>();

  constructor(
    private readonly sessions: WebSessionService,
    private readonly dataSource: DataSource,
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
    return { signedIn: true, csrfToken: opened.session.csrfToken, expiresAt: opened.session.expiresAt.toISOString(), via: 'session', accounts: [] };
  }

  /** Who is calling: the session (with its CSRF token) or a bearer token. */
  @Get()
  @ApiOkResponse({ type: SessionViewDto.Output })
  current(@Req() req: RequestWithSession): SessionViewDto {
    return view(req);
  }

  /** The account switcher: later requests of this session act for `account` (one the caller may see; any other is a 404). */
  @Put('account')
  @ApiOkResponse({ type: SessionViewDto.Output })
  async selectAccount(@Req() req: RequestWithSession, @Body() body: SelectAccountDto, @NoQuery() _query: unknown): Promise<SessionViewDto> {
    const session = req.webSession;
    if (!session)
      throw new DomainError('invalid_input', 'A token has no selected account: send the Payrisk-Account header with each request', { field: 'account' });
    const chosen = chooseAccount(req.accessibleAccounts ?? [], body.account);
    await this.sessions.selectAccount(session.tokenHash, chosen.stripeAccountId);
    return view(req, { ...session, stripeAccountId: chosen.stripeAccountId });
  }

  /** Signs out: ends the session in the database and clears the cookie. */
  @Delete()
  @HttpCode(204)
  async signOut(@Req() req: RequestWithSession, @Res({ passthrough: true }) res: Response): Promise<void> {
    if (req.webSession) await this.sessions.end(req.webSession.tokenHash);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  /** A fresh one-time sign-in link for the instance's owner (what `payrisk login-link` prints): the owner's token only. */
  @InstanceOwnerOnly()
  @Post('links')
  @HttpCode(200)
  @ApiOkResponse({ type: SignInLinkDto.Output })
  async link(): Promise<SignInLinkDto> {
    const { url, expiresAt } = await this.sessions.issueSignInCode('cli');
    return { url, expiresAt: expiresAt.toISOString() };
  }

  /**
   * Emails a sign-in link: to OWNER_EMAIL (no address given, or that one), or to a person added
   * with `payrisk people add` who has an account granted. Anyone may ask; only that address
   * receives it, the answer is the same whether or not it exists, and each address gets at most
   * one a minute.
   */
  @Public()
  @Post('email-link')
  @HttpCode(200)
  @ApiOkResponse({ type: EmailLinkDto.Output })
  async emailLink(@Body() body: EmailLinkRequestDto, @NoQuery() _query: unknown): Promise<EmailLinkDto> {
    const owner = this.config.mail.ownerEmail;
    const to = body.email ?? owner;
    const answer = { sentTo: masked(to) };
    const key = to.toLowerCase();
    const last = this.lastEmailAt.get(key) ?? 0;
    if (Date.now() - last < 60_000) return answer;
    let personId: string | null = null;
    if (key !== owner.toLowerCase()) {
      const person = await findPersonByEmail(this.dataSource.manager, to);
      if (!person || (await grantsOf(this.dataSource.manager, person.id)).length === 0) return answer;
      personId = person.id;
    }
    this.lastEmailAt.set(key, Date.now());
    const { url, expiresAt } = await this.sessions.issueSignInCode('email', personId);
    const transport = createMailTransport(this.config, { info: (line: string) => this.logger.log(line) });
    try {
      const text =
        `Sign in to payrisk: ${url}\n\nThe link works once, for ${SIGN_IN_CODE_MINUTES} minutes ` +
        `(until ${expiresAt.toISOString()}). If you did not ask for it, ignore this email.\n`;
      await transport.send({
        dedupeKey: `sign-in:${key}:${expiresAt.toISOString()}`,
        to,
        subject: 'Your payrisk sign-in link',
        text,
        html: renderSignInHtml(url, SIGN_IN_CODE_MINUTES),
        date: new Date(),
      });
    } finally {
      transport.close();
    }
    return answer;
  }
}
