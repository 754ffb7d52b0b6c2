import type { AppConfig } from './app-config';

/**
 * The config as the account the work under way is for sees it: its policy file and its
 * owner's email in place of the environment's (PAYRISK_CONFIG, OWNER_EMAIL), everything
 * else the same. In the server it is the scoped account's runtime (AccountRuntimes); a
 * command or a test passes its own. Per-account settings are read through this, never
 * from APP_CONFIG.
 */
export type CurrentAccountConfig = () => Promise<AppConfig>;

export const CURRENT_ACCOUNT_CONFIG = Symbol('CURRENT_ACCOUNT_CONFIG');

/** For one fixed account (commands, tests): always `config`. */
export const fixedAccountConfig =
  (config: AppConfig): CurrentAccountConfig =>
  () =>
    Promise.resolve(config);

/** A setting fixed for the process (a command, a test) or read for the account of the work under way (the server). */
export type PerAccount<T> = T | (() => Promise<T>);

export const settingFor = <T>(setting: PerAccount<T>): Promise<T> =>
  typeof setting === 'function' ? (setting as () => Promise<T>)() : Promise.resolve(setting);
