import { Ledger1764050000000 } from './1764050000000-ledger';
import { Notifications1764090000000 } from './1764090000000-notifications';
import { Policies1764100000000 } from './1764100000000-policies';
import { RiskAssessments1764070000000 } from './1764070000000-risk-assessments';

/** Every migration, in order. Listed explicitly so the app, the CLI and the tests load the same set from src or dist. */
export const migrations = [Ledger1764050000000, RiskAssessments1764070000000, Notifications1764090000000, Policies1764100000000];
