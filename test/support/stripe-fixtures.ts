import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Stripe's official example objects (stripe/openapi `fixtures3.json`, MIT, see
 * test/fixtures/stripe/LICENSE), vendored so a clean clone tests against them anywhere.
 */
export function stripeFixtures(): Record<string, Record<string, unknown>> {
  const file = join(__dirname, '..', 'fixtures', 'stripe', 'fixtures3.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { resources: Record<string, Record<string, unknown>> }).resources;
}
