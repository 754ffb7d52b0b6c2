export * from './risk-vocabulary';
