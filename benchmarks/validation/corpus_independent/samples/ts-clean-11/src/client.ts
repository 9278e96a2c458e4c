import { withRetry } from './utils/retry.js';

export interface Invoice {
  id: string;
  amount: number;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function sumBy<T>(rows: readonly T[], pick: (row: T) => number): number {
  let total = 0;
  for (const row of rows) {
    const value = pick(row);
    if (!Number.isFinite(value)) {
      throw new TypeError(`not a number in ${JSON.stringify(row)}`);
    }
    total += value;
  }
  return total;
}

export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text.trim());
  if (!match) {
    throw new SyntaxError(`bad duration: ${text}`);
  }
  const factors: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  return Number(match[1]) * factors[match[2]];
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError('size must be a positive integer');
  }
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}


export async function loadInvoice(baseUrl: string, id: string): Promise<Invoice> {
  return withRetry(async () => {
    const response = await fetch(`${baseUrl}/invoices/${encodeURIComponent(id)}`);
    if (!response.ok) {
      throw new Error(`invoice ${id}: HTTP ${response.status}`);
    }
    return (await response.json()) as Invoice;
  }, 3);
}
