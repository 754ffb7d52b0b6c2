import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALLOWED_PARAMS } from '../../../src/sandbox/http/allowed-params.generated';
import { generateAllowedParamsSource } from '../../../src/sandbox/http/generate-allowed-params';

describe('sandbox: allowed parameters come from the stripe package', () => {
  it('the committed allowed-params.generated.ts is what the generator writes from node_modules/stripe today', () => {
    const committed = readFileSync(join(__dirname, '../../../src/sandbox/http/allowed-params.generated.ts'), 'utf8');
    // Stale after a stripe upgrade: run `npm run build --silent && node dist/src/sandbox/http/generate-allowed-params.js`.
    expect(generateAllowedParamsSource()).toBe(committed);
  });

  it('covers the endpoints the sandbox serves, with the parameters Stripe documents', () => {
    expect(ALLOWED_PARAMS['POST /v1/invoiceitems']).toEqual(expect.arrayContaining(['customer', 'amount', 'currency', 'invoice', 'pricing', 'metadata']));
    expect(ALLOWED_PARAMS['POST /v1/invoiceitems']).not.toContain('price'); // moved to pricing[price] in 2025
    expect(ALLOWED_PARAMS['GET /v1/events']).toEqual(expect.arrayContaining(['type', 'types', 'created', 'limit', 'starting_after', 'ending_before']));
    expect(ALLOWED_PARAMS['DELETE /v1/invoices/*']).toEqual([]);
    expect(ALLOWED_PARAMS['POST /v1/test_helpers/test_clocks/*/advance']).toEqual(['expand', 'frozen_time']);
  });
});
