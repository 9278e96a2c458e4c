import express from 'express';
import helmet from 'helmet';

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

export function slugify(title) {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'untitled';
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


export function createApp(store) {
  const app = express();
  app.use(express.json());
  app.locals.store = store;
  app.use(helmet());
  app.get('/shipments', async (req, res) => res.json(await store.list()));
  return app;
}
