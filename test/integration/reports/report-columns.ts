/** The aging report's columns, in order: the report's own test and the CLI's CSV header check the same list. */
export const AGING_COLUMNS = [
  'row_type',
  'client_id',
  'client_name',
  'currency',
  'invoices',
  'current',
  'days_1_30',
  'days_31_60',
  'days_61_90',
  'days_over_90',
  'total',
  'oldest_days_past_due',
];
