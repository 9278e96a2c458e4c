import { readFile } from 'node:fs/promises';

export interface EmployeeConfig {
  endpoint: string;
  batchSize: number;
  retries: number;
}

const DEFAULTS: EmployeeConfig = { endpoint: 'http://127.0.0.1:8080', batchSize: 100, retries: 3 };

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


export async function loadConfig(path: string): Promise<EmployeeConfig> {
  let raw: unknown = {};
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e: unknown) {
    throw new ConfigError(`cannot read ${path}: ${(e as Error).message}`);
  }
  return { ...DEFAULTS, ...(raw as Partial<EmployeeConfig>) };
}

export function startPolling(fetchOnce: () => Promise<void>, everyMs: number): NodeJS.Timeout {
  return setInterval(() => {
    fetchOnce().catch(() => undefined);
  }, everyMs);
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

