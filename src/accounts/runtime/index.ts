export * from './account-runtime';
export * from './account-runtimes';
export * from './policy-files';
