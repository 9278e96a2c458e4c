'use strict';

const Fastify = require('fastify');
const dhl = require('./carriers/dhl');
const ups = require('./carriers/ups');

const carriers = [dhl, ups];

const addressSchema = {
  type: 'object',
  required: ['country', 'postcode', 'city'],
  properties: {
    country: { type: 'string', pattern: '^[A-Z]{2}$' },
    postcode: { type: 'string', minLength: 2, maxLength: 12 },
    city: { type: 'string', minLength: 1 },
  },
};

const quoteSchema = {
  body: {
    type: 'object',
    required: ['from', 'to', 'weightKg', 'dimensionsCm'],
    properties: {
      from: addressSchema,
      to: addressSchema,
      weightKg: { type: 'number', exclusiveMinimum: 0, maximum: 70 },
      dimensionsCm: {
        type: 'object',
        required: ['length', 'width', 'height'],
        properties: {
          length: { type: 'number', exclusiveMinimum: 0 },
          width: { type: 'number', exclusiveMinimum: 0 },
          height: { type: 'number', exclusiveMinimum: 0 },
        },
      },
    },
  },
};

function build() {
  const app = Fastify({ logger: true });

  app.post('/quotes', { schema: quoteSchema }, async (request) => {
    const settled = await Promise.allSettled(carriers.map((c) => c.quote(request.body)));
    const quotes = [];
    const unavailable = [];
    settled.forEach((result, i) => {
      if (result.status === 'fulfilled') {
        quotes.push(...result.value);
      } else {
        request.log.warn({ carrier: carriers[i].name, err: result.reason.message }, 'carrier failed');
        unavailable.push(carriers[i].name);
      }
    });
    quotes.sort((a, b) => a.priceCents - b.priceCents);
    return { quotes, unavailable };
  });

  app.get('/health', async () => ({ ok: true }));
  return app;
}

if (require.main === module) {
  build()
    .listen({ port: Number(process.env.PORT || 3000), host: '0.0.0.0' })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}

module.exports = { build };
