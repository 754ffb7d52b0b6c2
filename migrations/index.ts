import { Accounts1764500000000 } from './1764500000000-accounts';
import { ConnectedAccounts1764510000000 } from './1764510000000-connected-accounts';
import { BookLateness1764300000000 } from './1764300000000-book-lateness';
import { ClientNotices1764140000000 } from './1764140000000-client-notices';
import { Dashboard1764200000000 } from './1764200000000-dashboard';
import { DropDaysLateWhenPaid1764410000000 } from './1764410000000-drop-days-late-when-paid';
import { DashboardMonths1764210000000 } from './1764210000000-dashboard-months';
import { Ledger1764050000000 } from './1764050000000-ledger';
import { Notifications1764090000000 } from './1764090000000-notifications';
import { Policies1764100000000 } from './1764100000000-policies';
import { RowLevelSecurity1764700000000 } from './1764700000000-row-level-security';
import { RiskAssessments1764070000000 } from './1764070000000-risk-assessments';
import { RiskAssessmentsInline1764820000000 } from './1764820000000-risk-assessments-inline';
import { RiskFlagsCheck1764420000000 } from './1764420000000-risk-flags-check';
import { RiskIndexes1764130000000 } from './1764130000000-risk-indexes';
import { SafeAmounts1764430000000 } from './1764430000000-safe-amounts';
import { Subscriptions1764110000000 } from './1764110000000-subscriptions';
import { WebhookInbox1764220000000 } from './1764220000000-webhook-inbox';
import { PeopleAndGrants1764730000000 } from './1764730000000-people-and-grants';

/** Every migration, in order. Listed explicitly so the app, the CLI and the tests load the same set from src or dist. */
export const migrations = [
  Ledger1764050000000,
  RiskAssessments1764070000000,
  Notifications1764090000000,
  Policies1764100000000,
  Subscriptions1764110000000,
  RiskIndexes1764130000000,
  ClientNotices1764140000000,
  Dashboard1764200000000,
  DashboardMonths1764210000000,
  WebhookInbox1764220000000,
  BookLateness1764300000000,
  DropDaysLateWhenPaid1764410000000,
  RiskFlagsCheck1764420000000,
  SafeAmounts1764430000000,
  Accounts1764500000000,
  ConnectedAccounts1764510000000,
  RowLevelSecurity1764700000000,
  PeopleAndGrants1764730000000,
  RiskAssessmentsInline1764820000000,
];
