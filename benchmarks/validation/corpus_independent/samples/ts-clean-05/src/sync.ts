import { writeFile } from 'node:fs/promises';

export interface Page<T> {
  items: T[];
  page: number;
  perPage: number;
  total: number;
  pages: number;
}

export function paginate<T>(items: readonly T[], page = 1, perPage = 20): Page<T> {
  if (page < 1 || perPage < 1) {
    throw new RangeError('page and perPage start at 1');
  }
  const start = (page - 1) * perPage;
  return {
    items: items.slice(start, start + perPage),
    page,
    perPage,
    total: items.length,
    pages: Math.ceil(items.length / perPage),
  };
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


const DEFAULTS = {
  retries: 3,
  batchSize: 50,
  timeoutMs: 5000,
};

export async function syncAll(client: { save(item: unknown): Promise<void> }, invoices: unknown[]): Promise<number> {
  for (const item of invoices) {
    await client.save(item);
  }
  return invoices.length;
}

export function settings(overrides: Partial<typeof DEFAULTS> = {}): typeof DEFAULTS {
  return { ...DEFAULTS, ...overrides };
}

export async function dump(path: string, invoices: unknown[]): Promise<void> {
  await writeFile(path, JSON.stringify(invoices, null, 2));
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

export function formatDate(value: Date | string | number): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(`not a date: ${String(value)}`);
  }
  return date.toISOString().slice(0, 10);
}

export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text.trim());
  if (!match) {
    throw new SyntaxError(`bad duration: ${text}`);
  }
  const factors: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  return Number(match[1]) * factors[match[2]];
}

