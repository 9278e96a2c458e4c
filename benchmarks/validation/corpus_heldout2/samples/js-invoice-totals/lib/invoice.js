'use strict';

const dayjs = require('dayjs');
const { toCents, formatCents, percentOf, allocateRemainder } = require('./money');

const DEFAULT_TERMS_DAYS = 30;

const TAX_RATES = {
  standard: 1900,
  reduced: 700,
  zero: 0,
};

class InvoiceError extends Error {
  constructor(message, line) {
    super(message);
    this.name = 'InvoiceError';
    this.line = line;
  }
}

function normaliseLine(raw, index) {
  if (!raw || typeof raw !== 'object') {
    throw new InvoiceError('line item must be an object', index);
  }
  const quantity = Number(raw.quantity ?? 1);
  if (!Number.isInteger(quantity) || quantity <= 0) {
    throw new InvoiceError(`quantity must be a positive integer, got ${raw.quantity}`, index);
  }
  const taxClass = raw.taxClass || 'standard';
  if (!(taxClass in TAX_RATES)) {
    throw new InvoiceError(`unknown tax class ${taxClass}`, index);
  }
  return {
    description: String(raw.description || '').trim() || `Item ${index + 1}`,
    quantity,
    unitCents: toCents(raw.unitPrice),
    taxClass,
  };
}

function applyDiscount(lines, discount) {
  if (!discount) return lines.map((l) => ({ ...l, discountCents: 0 }));
  const gross = lines.reduce((sum, l) => sum + l.unitCents * l.quantity, 0);
  if (gross === 0) return lines.map((l) => ({ ...l, discountCents: 0 }));

  let total;
  if (discount.type === 'percent') {
    total = percentOf(gross, Math.round(discount.value * 100));
  } else if (discount.type === 'fixed') {
    total = Math.min(toCents(discount.value), gross);
  } else {
    throw new InvoiceError(`unknown discount type ${discount.type}`);
  }

  // Spread the discount over the lines in proportion to their value; the cents
  // lost to rounding are handed out so the parts add up to the total exactly.
  const shares = lines.map((l) => Math.floor((total * l.unitCents * l.quantity) / gross));
  const spread = allocateRemainder(shares, total);
  return lines.map((l, i) => ({ ...l, discountCents: spread[i] }));
}

function taxLines(lines) {
  const byClass = new Map();
  for (const line of lines) {
    const net = line.unitCents * line.quantity - line.discountCents;
    byClass.set(line.taxClass, (byClass.get(line.taxClass) || 0) + net);
  }
  return [...byClass.entries()]
    .filter(([, net]) => net !== 0)
    .map(([taxClass, net]) => ({
      taxClass,
      rateBasisPoints: TAX_RATES[taxClass],
      netCents: net,
      taxCents: percentOf(net, TAX_RATES[taxClass]),
    }));
}

function buildInvoice(input, { issuedAt = new Date(), currency = 'EUR', locale = 'de-DE' } = {}) {
  if (!Array.isArray(input.lines) || input.lines.length === 0) {
    throw new InvoiceError('an invoice needs at least one line');
  }
  const lines = applyDiscount(input.lines.map(normaliseLine), input.discount);
  const taxes = taxLines(lines);

  const netCents = taxes.reduce((sum, t) => sum + t.netCents, 0);
  const taxCents = taxes.reduce((sum, t) => sum + t.taxCents, 0);
  const grossCents = netCents + taxCents;

  const issued = dayjs(issuedAt);
  const due = issued.add(input.termsDays ?? DEFAULT_TERMS_DAYS, 'day');

  return {
    number: input.number,
    customer: input.customer,
    issuedOn: issued.format('YYYY-MM-DD'),
    dueOn: due.format('YYYY-MM-DD'),
    currency,
    lines: lines.map((l) => ({
      description: l.description,
      quantity: l.quantity,
      unit: formatCents(l.unitCents, currency, locale),
      discount: l.discountCents ? formatCents(-l.discountCents, currency, locale) : null,
      taxClass: l.taxClass,
    })),
    taxes: taxes.map((t) => ({
      label: `${t.rateBasisPoints / 100}% VAT`,
      net: formatCents(t.netCents, currency, locale),
      tax: formatCents(t.taxCents, currency, locale),
    })),
    totals: {
      netCents,
      taxCents,
      grossCents,
      net: formatCents(netCents, currency, locale),
      tax: formatCents(taxCents, currency, locale),
      gross: formatCents(grossCents, currency, locale),
    },
  };
}

module.exports = { buildInvoice, InvoiceError, TAX_RATES };
