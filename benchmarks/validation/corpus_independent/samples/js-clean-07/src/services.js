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


export async function getExchangeRates(base = 'EUR') {
  const response = await fetch(`${process.env.RATES_URL}/latest?base=${encodeURIComponent(base)}`);
  if (!response.ok) {
    throw new Error(`rates service answered ${response.status}`);
  }
  return response.json();
}

export function formatDate(value) {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(`not a date: ${value}`);
  }
  return date.toISOString().slice(0, 10);
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

