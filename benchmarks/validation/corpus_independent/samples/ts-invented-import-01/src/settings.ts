import { parseEnv } from 'zod-env-parse';

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

export function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const bucket = groups.get(k);
    if (bucket) {
      bucket.push(row);
    } else {
      groups.set(k, [row]);
    }
  }
  return groups;
}

export function formatDate(value: Date | string | number): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(`not a date: ${String(value)}`);
  }
  return date.toISOString().slice(0, 10);
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

export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text.trim());
  if (!match) {
    throw new SyntaxError(`bad duration: ${text}`);
  }
  const factors: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  return Number(match[1]) * factors[match[2]];
}


export const settings = parseEnv({
  PORT: 'number',
  DATABASE_URL: 'string',
});

export function listenAddress(): string {
  return `0.0.0.0:${settings.PORT}`;
}
