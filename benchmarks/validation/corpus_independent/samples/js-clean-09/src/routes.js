import express from 'express';

export const router = express.Router();

export function slugify(title) {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'untitled';
}

export function chunk(items, size) {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError('size must be a positive integer');
  }
  const out = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
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

export function formatDate(value) {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(`not a date: ${value}`);
  }
  return date.toISOString().slice(0, 10);
}


router.get('/invoices', async (req, res) => {
  const page = Number(req.query.page ?? 1);
  res.json(await req.app.locals.store.list(page));
});

router.get('/invoices/:id', async (req, res) => {
  const item = await req.app.locals.store.get(req.params.id);
  if (!item) {
    return res.status(404).json({ title: 'not found' });
  }
  return res.json(item);
});

router.delete('/invoices/:id', async (req, res) => {
  await req.app.locals.store.remove(req.params.id);
  res.status(204).end();
});

export function statusLabel(status) {
  switch (status) {
    case 'new':
      return 'New';
    case 'paid':
      return 'Paid';
    default:
      throw new RangeError(`unknown status ${status}`);
  }
}

