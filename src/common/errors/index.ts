export * from './domain-error';
export * from './domain-error.filter';
export * from './http-status-for';
export * from './error-body';
