import type { PersonaKind, RiskFlag } from '../sandbox.types';

/**
 * Ground truth: the flags detection must raise for each persona (the rules of architecture.md "Words" and
 * config/default.yaml, re-stated in test/integration/sandbox/demo-seed.test.ts).
 */
export const PERSONA_FLAGS: Record<PersonaKind, RiskFlag[]> = {
  punctual: [],
  unlucky_once: [],
  chronic_late: ['chronic_late_payer'],
  discount_hunter: ['repeated_discount_demands'],
  toxic: ['chronic_late_payer', 'repeated_discount_demands'],
  slipping: ['slipping'],
  disputer: ['disputes'],
  long_arrears: ['arrears'],
};

/** The demo agency's 40 clients, by persona. */
export const DEMO_POPULATION: ReadonlyArray<[PersonaKind, number]> = [
  ['punctual', 14],
  ['unlucky_once', 5],
  ['chronic_late', 5],
  ['discount_hunter', 4],
  ['toxic', 3],
  ['slipping', 3],
  ['disputer', 3],
  ['long_arrears', 3],
];

const FIRST = [
  'Northwind',
  'Bluebird',
  'Copperleaf',
  'Harbor',
  'Juniper',
  'Atlas',
  'Meridian',
  'Foxglove',
  'Kestrel',
  'Larkspur',
  'Orchard',
  'Pinecrest',
  'Quillon',
  'Riverside',
  'Saffron',
  'Tidewater',
  'Umber',
  'Vantage',
  'Willow',
  'Yarrow',
];
const SECOND = [
  'Studio',
  'Bakery',
  'Dental Care',
  'Architects',
  'Coffee Roasters',
  'Legal',
  'Fitness',
  'Realty',
  'Logistics',
  'Wines',
  'Clinic',
  'Outfitters',
  'Labs',
  'Books',
  'Travel',
  'Events',
];

/** A believable small-business client name, unique per index. */
export function clientName(index: number): string {
  const base = `${FIRST[index % FIRST.length]} ${SECOND[(index * 7 + Math.floor(index / FIRST.length)) % SECOND.length]}`;
  return index < FIRST.length * 2 ? base : `${base} ${Math.floor(index / (FIRST.length * 2)) + 1}`;
}
