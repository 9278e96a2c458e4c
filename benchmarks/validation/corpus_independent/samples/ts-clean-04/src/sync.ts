import { writeFile } from 'node:fs/promises';

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


const DEFAULTS = {
  retries: 3,
  batchSize: 50,
  timeoutMs: 5000,
};

export async function syncAll(client: { save(item: unknown): Promise<void> }, tracks: unknown[]): Promise<number> {
  await Promise.all(tracks.map(async (item) => client.save(item)));
  return tracks.length;
}

export function settings(overrides: Partial<typeof DEFAULTS> = {}): typeof DEFAULTS {
  return { ...DEFAULTS, ...overrides };
}

export async function dump(path: string, tracks: unknown[]): Promise<void> {
  await writeFile(path, JSON.stringify(tracks, null, 2));
}

export function formatDate(value: Date | string | number): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(`not a date: ${String(value)}`);
  }
  return date.toISOString().slice(0, 10);
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

