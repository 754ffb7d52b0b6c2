/** People and what they may see (issue 18): people, their grants to Stripe accounts, API tokens, and the instance's accounts. */
export * from './api-token-secret';
export * from './api-tokens.query';
export * from './instance-accounts';
export * from './people.query';
