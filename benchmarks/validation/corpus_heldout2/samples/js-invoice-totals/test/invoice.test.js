'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { buildInvoice } = require('../lib/invoice');

test('totals add up with a percentage discount', () => {
  const invoice = buildInvoice(
    {
      number: 'INV-2024-0042',
      customer: { name: 'Muster GmbH' },
      lines: [
        { description: 'Consulting', quantity: 3, unitPrice: '120.00' },
        { description: 'Book', quantity: 1, unitPrice: '19.99', taxClass: 'reduced' },
      ],
      discount: { type: 'percent', value: 10 },
    },
    { issuedAt: new Date('2024-03-01T00:00:00Z') },
  );
  assert.equal(invoice.dueOn, '2024-03-31');
  assert.equal(invoice.totals.netCents, 36000 + 1999 - 3600 - 200);
});
