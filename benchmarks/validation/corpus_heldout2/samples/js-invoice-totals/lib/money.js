'use strict';

// Amounts are integers in minor units (cents) everywhere in this package, so
// that sums never drift; only the formatting edge converts to a decimal string.

function toCents(value) {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`not a finite amount: ${value}`);
    return Math.round(value * 100);
  }
  if (typeof value === 'string') {
    const match = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(value.trim());
    if (!match) throw new TypeError(`not an amount: ${JSON.stringify(value)}`);
    const [, sign, whole, frac = ''] = match;
    const cents = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
    return sign ? -cents : cents;
  }
  throw new TypeError(`unsupported amount type: ${typeof value}`);
}

function formatCents(cents, currency = 'EUR', locale = 'de-DE') {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(cents / 100);
}

function percentOf(cents, basisPoints) {
  // Banker's rounding keeps a long list of tax lines unbiased.
  const exact = (cents * basisPoints) / 10000;
  const floor = Math.floor(exact);
  const diff = exact - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

module.exports = { toCents, formatCents, percentOf };
