/** Many Stripe accounts (issue 18): the added accounts, their sealed keys, and which one a command works for. */
export * from './account-secrets';
export * from './accounts.query';
export * from './add-account';
export * from './connect/account-client';
export * from './purge-account';
export * from './resolve-account';
export * from './secrets/data-key';
export * from './secrets/secret-cipher';
