import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '../../common/clock';
import { DomainError, notFound } from '../../common/errors';
import { NoQuery } from '../../common/http';
import { ClientIdParamsDto, NewDiscountRequestDto } from '../../risk/http/clients.schemas';
import { APP_CONFIG, AppConfig } from '../../config';
import { PipelineService } from '../../pipeline/pipeline.service';
import { PolicyRunner } from '../../policies/policy-runner';
import { explainPolicies } from '../queries/policy-words';
import { plainReason } from '../../common/evidence/describe-evidence';
import { actionCalculation } from '../../policies/action-words';
import { ActionsService } from '../../policies/actions.service';
import { DiscountRequestService } from '../../risk/discount-request.service';
import { loadActions } from '../queries/actions.query';
import { loadClientDetail } from '../queries/client-detail.query';
import { loadClientPage } from '../queries/client-list.query';
import { loadOverview } from '../queries/overview.query';
import {
  ActionListDto,
  ActionListQueryDto,
  ClientDetailDto,
  ClientListQueryDto,
  ClientPageDto,
  DecisionDto,
  DecisionResultDto,
  DryRunDto,
  PoliciesDto,
  LoggedDiscountRequestDto,
  OverviewDto,
} from './dashboard.schemas';

/** Read models behind the dashboard's pages (the same bearer token or session as the rest of /api). */
@ApiTags('dashboard')
@ApiBearerAuth()
@Controller('dashboard')
export class DashboardController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly actions: ActionsService,
    private readonly discountRequests: DiscountRequestService,
    private readonly pipeline: PipelineService,
    private readonly runner: PolicyRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Receivables, aging, DSO, levels and movers, approvals waiting, paused clients, expected payments, last sync. */
  @Get('overview')
  @ApiOkResponse({ type: OverviewDto.Output })
  overview(@NoQuery() _query: unknown): Promise<OverviewDto> {
    return loadOverview(this.dataSource.manager, this.clock.now());
  }

  /** One page of clients: filter by level, flag and name; sort by any column. */
  @Get('clients')
  @ApiOkResponse({ type: ClientPageDto.Output })
  clients(@Query() query: ClientListQueryDto): Promise<ClientPageDto> {
    return loadClientPage(this.dataSource.manager, query);
  }

  /** The client page: level, score and factors, each flag with its evidence, timeline, open invoices, discounts, actions. */
  @Get('clients/:id')
  @ApiOkResponse({ type: ClientDetailDto.Output })
  async client(@Param() { id }: ClientIdParamsDto, @NoQuery() _query: unknown): Promise<ClientDetailDto> {
    const detail = await loadClientDetail(this.dataSource.manager, id, this.clock.now());
    if (!detail) throw notFound('Client', id);
    return detail;
  }

  /** Logs a discount request (phone, email) and runs the pipeline at once, so it shows as evidence (and in an alert, with what payrisk proposes). */
  @Post('clients/:id/discount-requests')
  @HttpCode(201)
  @ApiOkResponse({ type: LoggedDiscountRequestDto.Output })
  async logDiscountRequest(
    @Param() { id }: ClientIdParamsDto,
    @Body() body: NewDiscountRequestDto,
    @NoQuery() _query: unknown,
  ): Promise<LoggedDiscountRequestDto> {
    const { id: requestId } = await this.discountRequests.add(id, body, 'dashboard', this.clock.now());
    const run = await this.pipeline.run({ wait: true });
    return { id: requestId, reassessed: !run.failed.some((f) => f.step === 'detect') };
  }

  /** The inbox and the history: actions filtered by status, kind and client, each with what, why, the calculation and its audit trail. */
  @Get('actions')
  @ApiOkResponse({ type: ActionListDto.Output })
  async actionList(@Query() query: ActionListQueryDto): Promise<ActionListDto> {
    return { rows: await loadActions(this.dataSource.manager, query) };
  }

  /** Approve, reject or waive one or several actions, through the same service as the CLI, API and email links (actor `dashboard`). */
  @Post('actions/decisions')
  @HttpCode(200)
  @ApiOkResponse({ type: DecisionResultDto.Output })
  async decide(@Body() body: DecisionDto, @NoQuery() _query: unknown): Promise<DecisionResultDto> {
    const results: DecisionResultDto['results'] = [];
    for (const id of body.ids) {
      try {
        const action = await this.actions[body.decision](id, 'dashboard');
        results.push({ id, ok: action.status !== 'failed', status: action.status, error: action.error ?? undefined });
      } catch (error) {
        // An unknown id or a decided action is that id's answer; anything else (the database down) fails the request.
        if (!(error instanceof DomainError)) throw error;
        results.push({ id, ok: false, error: error.message });
      }
    }
    return results.length > 0 ? { results } : { results: [] };
  }

  /** The active policy file, explained in plain words. */
  @Get('policies')
  @ApiOkResponse({ type: PoliciesDto.Output })
  policies(@NoQuery() _query: unknown): PoliciesDto {
    return { file: this.config.policyFilePath, sections: explainPolicies(this.config.policy, this.config.policy.currency) };
  }

  /** What would happen if the policies ran now: the dry run, nothing written anywhere. */
  @Post('policies/dry-run')
  @HttpCode(200)
  @ApiOkResponse({ type: DryRunDto.Output })
  async dryRun(@NoQuery() _query: unknown): Promise<DryRunDto> {
    const result = await this.runner.run({ dryRun: true });
    return {
      planned: result.planned.map((p) => ({
        kind: p.kind,
        customerId: p.clientId,
        clientName: p.clientName ?? undefined,
        mode: p.mode,
        invoiceId: p.invoiceId ?? undefined,
        amount: p.amount ? { amount: p.amount.amount, currency: p.amount.currency } : undefined,
        reason: p.reason,
        why: plainReason(p.reason),
        calculation: actionCalculation({ kind: p.kind, params: p.params, amount: p.amount ?? null }),
        params: p.params,
      })),
    };
  }
}
