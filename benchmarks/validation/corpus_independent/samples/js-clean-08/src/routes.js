import express from 'express';

export const router = express.Router();

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

export function parseDuration(text) {
  const match = /^(\d+)(ms|s|m|h)$/.exec(String(text).trim());
  if (!match) {
    throw new SyntaxError(`bad duration: ${text}`);
  }
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2]];
  return Number(match[1]) * factor;
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


router.get('/tracks', async (req, res) => {
  const page = Number(req.query.page ?? 1);
  res.json(await req.app.locals.store.list(page));
});

router.get('/tracks/:id', async (req, res) => {
  const item = await req.app.locals.store.get(req.params.id);
  if (!item) {
    return res.status(404).json({ title: 'not found' });
  }
  return res.json(item);
});

router.delete('/tracks/:id', async (req, res) => {
  await req.app.locals.store.remove(req.params.id);
  res.status(204).end();
});

// Health check for the load balancer; it must stay cheap, so it touches no store.
router.get('/healthz', (req, res) => res.json({ ok: true }));

