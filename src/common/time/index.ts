export * from './time';
export * from './time.sql';
