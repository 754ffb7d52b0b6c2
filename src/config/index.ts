export * from './app-config';
export * from './config-error';
export * from './load-config';
export type { PolicyFile } from './policy-file.schema';
export * from './current-account-config';
