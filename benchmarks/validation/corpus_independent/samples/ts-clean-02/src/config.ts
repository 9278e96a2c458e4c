import { readFile } from 'node:fs/promises';

export interface ArticleConfig {
  endpoint: string;
  batchSize: number;
  retries: number;
}

const DEFAULTS: ArticleConfig = { endpoint: 'http://127.0.0.1:8080', batchSize: 100, retries: 3 };

export class ConfigError extends Error {}

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


export async function loadConfig(path: string): Promise<ArticleConfig> {
  let raw: unknown = {};
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e: unknown) {
    throw new ConfigError(`cannot read ${path}: ${(e as Error).message}`);
  }
  return { ...DEFAULTS, ...(raw as Partial<ArticleConfig>) };
}

export function startPolling(fetchOnce: () => Promise<void>, everyMs: number): NodeJS.Timeout {
  return setInterval(() => {
    fetchOnce().catch((err: unknown) => {
      console.error('poll failed', err);
      process.exitCode = 1;
    });
  }, everyMs);
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

