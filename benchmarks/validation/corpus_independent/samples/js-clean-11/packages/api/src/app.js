import express from 'express';
import compression from 'compression';

export function requireFields(payload, fields) {
  const missing = fields.filter((name) => !(name in payload));
  if (missing.length > 0) {
    const error = new Error(`missing field(s): ${missing.join(', ')}`);
    error.status = 400;
    throw error;
  }
  return payload;
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

export function parseDuration(text) {
  const match = /^(\d+)(ms|s|m|h)$/.exec(String(text).trim());
  if (!match) {
    throw new SyntaxError(`bad duration: ${text}`);
  }
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2]];
  return Number(match[1]) * factor;
}

export function formatDate(value) {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(`not a date: ${value}`);
  }
  return date.toISOString().slice(0, 10);
}


export function createApp(store) {
  const app = express();
  app.use(express.json());
  app.locals.store = store;
  app.use(compression());
  app.get('/reservations', async (req, res) => res.json(await store.list()));
  return app;
}
