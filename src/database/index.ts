export * from './advisory-lock';
export * from './data-source-options';
export * from './embedded-postgres';
export * from './migrate';
export * from './legacy-public-tables';
export * from './select-rows';
