import { ArgumentsHost, Catch, Controller, ExceptionFilter, Get, Inject, Param, Post, Query, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../auth/public.decorator';
import { Clock, CLOCK } from '../../common/clock';
import { DomainError, errorBody, httpStatusFor } from '../../common/errors';
import { contentSecurityPolicy, styleHash } from '../../common/http/security-headers';
import { findClient } from '../../ledger/queries/clients.query';
import { invoiceSummary } from '../../ledger/queries/invoices.query';
import { ActionsService } from '../actions.service';
import type { PolicyDeps } from '../policy-deps';
import { POLICY_DEPS } from '../policies.tokens';
import { ApprovalDecision, buildApprovalUrl, verifyApprovalLink } from './approval-link';
import { APPROVAL_PAGE_CSS, confirmPage, messagePage, resultPage } from './approval-page';
import { ApprovalParamsDto, ApprovalQueryDto } from './approvals.schemas';
import { DAY_MS } from '../../common/time';
import { runForAccount } from '../../database/account-scope';
import type { ActionRecord } from '../persistence/action-row';
import { afterExpiry } from '../action-words';

/** The pages' CSP: the strict one, plus their one inline style. */
const PAGE_CSP = contentSecurityPolicy({ 'style-src': [styleHash(APPROVAL_PAGE_CSS)] });

/**
 * Every approval page: the strict CSP, and never stored: a page says what the action is now
 * and carries signed links, so a browser showing a stored copy (same link, opened again)
 * would show a decision that no longer holds.
 */
function pageHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', PAGE_CSP);
  res.setHeader('Cache-Control', 'no-store');
}

/** Whether a link's decision can still be taken on the action: a waive on an applied late fee, the others on a proposal. */
function decisionOpen(action: ActionRecord, decision: string): boolean {
  return decision === 'waive' ? action.kind === 'late_fee' && action.status === 'applied' : action.status === 'proposed';
}

/** A link that is not well formed (cut off, altered) is a 400 page in words, like a forged one is a 403 page. */
@Catch(DomainError)
class ApprovalPageErrorFilter implements ExceptionFilter {
  catch(error: DomainError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (error.code !== 'invalid_input') return void res.status(httpStatusFor(error.code)).json(errorBody(error.code, error.message, error.details));
    pageHeaders(res);
    res
      .status(400)
      .type('html')
      .send(messagePage('Invalid link', `This link is incomplete or was altered (${error.message}). Nothing was changed.`));
  }
}

/**
 * The owner's one-click links. GET shows a one-button page and only the POST decides:
 * mail scanners and link previews fetch every link in an email, and a GET that approved
 * would let them apply fees nobody chose. The signature covers the action's account, action,
 * decision and expiry; the link is single use because a decided action cannot be decided again.
 * It acts only for its account: everything runs in that account's scope, and an action of
 * another account is "unknown" to it (a link without an account, from before there were
 * several, is the environment's account's).
 */
@ApiExcludeController()
@Public()
@UseFilters(ApprovalPageErrorFilter)
@Controller('approvals')
export class ApprovalsController {
  constructor(
    private readonly actions: ActionsService,
    @Inject(POLICY_DEPS) private readonly deps: PolicyDeps,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':id/:decision')
  async show(@Param() { id, decision }: ApprovalParamsDto, @Query() { expires, sig, account }: ApprovalQueryDto, @Res() res: Response) {
    pageHeaders(res);
    const check = await this.check(id, decision, expires, sig, account, res);
    if (!check) return;
    const linkAccount = account ?? (await this.deps.account()).accountId;
    await runForAccount(linkAccount, () => this.showPage(id, decision, check.expiresAt, linkAccount, res));
  }

  /** The action if it is of the link's account; undefined when it is unknown there (a database failure stays a 500). */
  private async actionOf(id: string, account: string): Promise<(ActionRecord & { audit: unknown[] }) | undefined> {
    const action = await this.actions.get(id).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'not_found') return undefined;
      throw error;
    });
    return action?.stripeAccountId === account ? action : undefined;
  }

  private async showPage(id: string, decision: string, expiresAt: Date, account: string, res: Response) {
    const action = await this.actionOf(id, account);
    if (!action) return void res.status(404).type('html').send(messagePage('Unknown action', 'This action no longer exists.'));
    if (!decisionOpen(action, decision))
      return void res
        .status(409)
        .type('html')
        .send(messagePage('Already decided', `This action is already ${action.status}; nothing was changed.`));
    const manager = this.deps.dataSource.manager;
    const client = await findClient(manager, action.clientId);
    const invoice = action.invoiceId ? await invoiceSummary(manager, action.invoiceId) : undefined;
    // Both buttons on the page, whichever link was opened: each posts its own signed link (same expiry).
    const sign = (d: ApprovalDecision) => buildApprovalUrl('', id, d, expiresAt, this.deps.linkSecret, account);
    const links = decision === 'waive' ? { waive: sign('waive') } : { approve: sign('approve'), reject: sign('reject') };
    const page = confirmPage({
      action,
      clientName: client?.name ?? 'this client',
      decision: decision as ApprovalDecision,
      expiresAt,
      invoice,
      links,
      now: this.clock.now(),
    });
    res.type('html').send(page);
  }

  @Post(':id/:decision')
  async decide(@Param() { id, decision }: ApprovalParamsDto, @Query() { expires, sig, account }: ApprovalQueryDto, @Res() res: Response) {
    pageHeaders(res);
    const check = await this.check(id, decision, expires, sig, account, res);
    if (!check) return;
    const linkAccount = account ?? (await this.deps.account()).accountId;
    await runForAccount(linkAccount, () => this.decideFor(id, decision, linkAccount, res));
  }

  private async decideFor(id: string, decision: string, account: string, res: Response) {
    if (!(await this.actionOf(id, account))) return void res.status(404).type('html').send(messagePage('Unknown action', 'This action no longer exists.'));
    try {
      const action =
        decision === 'approve'
          ? await this.actions.approve(id, 'owner_link')
          : decision === 'waive'
            ? await this.actions.waive(id, 'owner_link')
            : await this.actions.reject(id, 'owner_link');
      const outcome =
        action.status === 'waived'
          ? 'Waived: the fee was taken back out of Stripe.'
          : action.status === 'applied'
            ? 'Approved and applied in Stripe.'
            : action.status === 'rejected'
              ? 'Rejected: nothing was changed in Stripe.'
              : action.status === 'failed'
                ? `Approved, but applying it failed: ${action.error ?? 'unknown error'}. payrisk emailed you the details.`
                : `Approved; Stripe did not answer, so payrisk will apply it on its next run.`;
      const undoUrl =
        action.kind === 'late_fee' && action.status === 'applied'
          ? buildApprovalUrl('', id, 'waive', new Date(this.clock.now().getTime() + 30 * DAY_MS), this.deps.linkSecret, account)
          : undefined;
      res
        .status(200)
        .type('html')
        .send(resultPage(outcome, action, undoUrl));
    } catch (error) {
      if (error instanceof DomainError && (error.code === 'conflict' || error.code === 'not_found')) {
        return void res.status(409).type('html').send(messagePage('Nothing changed', error.message));
      }
      throw error;
    }
  }

  private async check(id: string, decision: string, expires: string, sig: string, account: string | undefined, res: Response) {
    const check = verifyApprovalLink(this.deps.linkSecret, id, decision, expires, sig, this.clock.now(), account);
    if (check.ok) return check;
    if (check.problem === 'forged')
      res.status(403).type('html').send(messagePage('Invalid link', 'This link is not one payrisk sent (or it was altered). Nothing was changed.'));
    else await this.expiredPage(id, decision, check.expiresAt as Date, account, res);
    return undefined;
  }

  /**
   * A genuine link past its expiry: what the owner can still do depends on the action now, so
   * the page never suggests a command that would refuse (a proposal expires with its link).
   */
  private async expiredPage(id: string, decision: string, expiresAt: Date, account: string | undefined, res: Response) {
    const linkAccount = account ?? (await this.deps.account()).accountId;
    const action = await runForAccount(linkAccount, () => this.actionOf(id, linkAccount));
    const expiredOn = `It expired on ${expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC. Nothing was changed.`;
    const now = this.clock.now();
    const pastItsExpiry = action?.status === 'proposed' && action.expiresAt !== null && action.expiresAt < now;
    const proposalExpired = action && (action.status === 'expired' || pastItsExpiry);
    const stillOpen = action && !proposalExpired && decisionOpen(action, decision);
    const next = !action
      ? 'This action no longer exists.'
      : proposalExpired
        ? `The proposal expired unanswered with it and can no longer be approved; ${afterExpiry(action.kind)}.`
        : stillOpen
          ? `Decide with "payrisk actions ${decision} ${id}", on the dashboard's Actions page, or in the API.`
          : `This action is already ${action.status}.`;
    res
      .status(410)
      .type('html')
      .send(messagePage('This link has expired', `${expiredOn} ${next}`));
  }
}
