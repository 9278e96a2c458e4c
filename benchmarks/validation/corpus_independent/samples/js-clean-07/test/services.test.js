import { test, mock } from 'node:test';
import assert from 'node:assert/strict';

import { getExchangeRates } from '../src/services.js';

test('getExchangeRates returns the parsed body', async () => {
  process.env.RATES_URL = 'http://127.0.0.1:9';
  const fake = mock.method(globalThis, 'fetch', async () => ({
    ok: true,
    status: 200,
    json: async () => ({ base: 'EUR', rates: { USD: 1.08 } }),
  }));
  const body = await getExchangeRates('EUR');
  assert.equal(body.rates.USD, 1.08);
  assert.equal(fake.mock.calls.length, 1);
  fake.mock.restore();
});
