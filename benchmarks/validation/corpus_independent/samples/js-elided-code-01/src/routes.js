import express from 'express';

export const router = express.Router();

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

export function requireFields(payload, fields) {
  const missing = fields.filter((name) => !(name in payload));
  if (missing.length > 0) {
    const error = new Error(`missing field(s): ${missing.join(', ')}`);
    error.status = 400;
    throw error;
  }
  return payload;
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

export function formatDate(value) {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(`not a date: ${value}`);
  }
  return date.toISOString().slice(0, 10);
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


router.get('/orders', async (req, res) => {
  const page = Number(req.query.page ?? 1);
  res.json(await req.app.locals.store.list(page));
});

router.get('/orders/:id', async (req, res) => {
  const item = await req.app.locals.store.get(req.params.id);
  if (!item) {
    return res.status(404).json({ title: 'not found' });
  }
  return res.json(item);
});

router.delete('/orders/:id', async (req, res) => {
  await req.app.locals.store.remove(req.params.id);
  res.status(204).end();
});

// ... other routes

