import { readFile } from 'node:fs/promises';

export interface ReadingConfig {
  endpoint: string;
  batchSize: number;
  retries: number;
}

const DEFAULTS: ReadingConfig = { endpoint: 'http://127.0.0.1:8080', batchSize: 100, retries: 3 };

export class ConfigError extends Error {}

export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text.trim());
  if (!match) {
    throw new SyntaxError(`bad duration: ${text}`);
  }
  const factors: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  return Number(match[1]) * factors[match[2]];
}


export async function loadConfig(path: string): Promise<ReadingConfig> {
  let raw: unknown = {};
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch {
  }
  return { ...DEFAULTS, ...(raw as Partial<ReadingConfig>) };
}

export function startPolling(fetchOnce: () => Promise<void>, everyMs: number): NodeJS.Timeout {
  return setInterval(() => {
    fetchOnce().catch((err: unknown) => {
      console.error('poll failed', err);
      process.exitCode = 1;
    });
  }, everyMs);
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

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

