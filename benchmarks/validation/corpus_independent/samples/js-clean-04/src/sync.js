import { writeFile } from 'node:fs/promises';

export function sumBy(rows, key) {
  let total = 0;
  for (const row of rows) {
    const value = Number(row[key] ?? 0);
    if (!Number.isFinite(value)) {
      throw new TypeError(`${key} is not a number in ${JSON.stringify(row)}`);
    }
    total += value;
  }
  return total;
}

export function groupBy(rows, key) {
  const groups = new Map();
  for (const row of rows) {
    const value = row[key];
    if (!groups.has(value)) {
      groups.set(value, []);
    }
    groups.get(value).push(row);
  }
  return groups;
}


const DEFAULTS = {
  retries: 3,
  batchSize: 50,
  timeoutMs: 5000,
};

export async function syncAll(client, shipments) {
  for (const item of shipments) {
    await client.save(item);
  }
  return shipments.length;
}

export function settings(overrides = {}) {
  return { ...DEFAULTS, ...overrides };
}

export async function dump(path, shipments) {
  await writeFile(path, JSON.stringify(shipments, null, 2));
}

export function paginate(items, page = 1, perPage = 20) {
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

export function slugify(title) {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'untitled';
}

