import { Ledger1764050000000 } from './1764050000000-ledger';
import { Notifications1764090000000 } from './1764090000000-notifications';

/** Every migration, in order. Listed explicitly so the app, the CLI and the tests load the same set from src or dist. */
export const migrations = [Ledger1764050000000, Notifications1764090000000];
