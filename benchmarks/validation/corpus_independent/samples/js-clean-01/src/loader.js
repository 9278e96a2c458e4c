import { readFile, writeFile } from 'node:fs/promises';

export function slugify(title) {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'untitled';
}

export function formatDate(value) {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(`not a date: ${value}`);
  }
  return date.toISOString().slice(0, 10);
}


export async function loadProfile(api, userId) {
  const response = await api.get(`/users/${userId}/profile`);
  return response.data;
}

export function refreshSidebar(api, userId, render) {
  return loadProfile(api, userId).then(render).catch((err) => {
    console.error('sidebar refresh failed', err);
    render(null);
  });
}

export async function saveDraft(path, draft) {
  try {
    await writeFile(path, JSON.stringify(draft));
  } catch (err) {
    if (err.code !== 'ENOSPC') throw err;
    throw new Error(`disk full while saving ${path}`);
  }
}

export async function importLines(path) {
  const text = await readFile(path, 'utf8');
  const invoices = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      invoices.push(JSON.parse(line));
    } catch (err) {
      throw new SyntaxError(`bad line in ${path}: ${err.message}`);
    }
  }
  return invoices;
}

export function requireFields(payload, fields) {
  const missing = fields.filter((name) => !(name in payload));
  if (missing.length > 0) {
    const error = new Error(`missing field(s): ${missing.join(', ')}`);
    error.status = 400;
    throw error;
  }
  return payload;
}

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

