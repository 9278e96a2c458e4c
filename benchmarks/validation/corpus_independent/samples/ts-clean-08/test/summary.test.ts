import { test } from 'node:test';
import assert from 'node:assert/strict';

import { grandTotal } from '../src/summary.js';
import { summaries } from './fixtures/summaries.js';

test('grand total', () => {
  assert.equal(grandTotal(summaries), 1650);
});
