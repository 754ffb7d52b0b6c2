export * from './iso-day';
export * from './query-boolean';
export * from './safe-string';
export * from './stripe-id';
export * from './uuid';
export * from './validation-error';
export * from './no-input';
