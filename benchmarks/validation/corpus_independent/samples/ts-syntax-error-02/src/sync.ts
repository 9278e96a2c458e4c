import { writeFile } from 'node:fs/promises';

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


const DEFAULTS = {
  retries: 3,
  batchSize: 50,
  timeoutMs: 5000,
};

export async function syncAll(client: { save(item: unknown): Promise<void> }, appointments: unknown[]): Promise<number> {
  for (const item of appointments) {
    if (item !== null {
      await client.save(item);
    }
  }
  return appointments.length;
}

export function settings(overrides: Partial<typeof DEFAULTS> = {}): typeof DEFAULTS {
  return { ...DEFAULTS, ...overrides };
}

export async function dump(path: string, appointments: unknown[]): Promise<void> {
  await writeFile(path, JSON.stringify(appointments, null, 2));
}

export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text.trim());
  if (!match) {
    throw new SyntaxError(`bad duration: ${text}`);
  }
  const factors: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  return Number(match[1]) * factors[match[2]];
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

