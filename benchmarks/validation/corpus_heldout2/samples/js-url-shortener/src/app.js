'use strict';

const Fastify = require('fastify');
const fastifyRedis = require('@fastify/redis');
const { customAlphabet } = require('nanoid');
const slidingWindow = require('@fastify/redis-sliding-window');

const ALPHABET = '23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
const makeCode = customAlphabet(ALPHABET, 7);
const BASE_URL = (process.env.BASE_URL || 'http://localhost:3000').replace(/\/$/, '');
const BLOCKED_HOSTS = new Set((process.env.BLOCKED_HOSTS || '').split(',').filter(Boolean));

function validTarget(raw) {
  let url;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (BLOCKED_HOSTS.has(url.hostname)) return null;
  if (url.username || url.password) return null;
  return url.toString();
}

function build() {
  const app = Fastify({ logger: true, trustProxy: true });
  app.register(fastifyRedis, { url: process.env.REDIS_URL || 'redis://127.0.0.1:6379' });
  app.register(slidingWindow, { max: 30, windowSeconds: 60, keyPrefix: 'rl:shorten:' });

  app.post('/shorten', {
    schema: {
      body: {
        type: 'object',
        required: ['url'],
        properties: {
          url: { type: 'string', maxLength: 2048 },
          ttlDays: { type: 'integer', minimum: 1, maximum: 365 },
        },
      },
    },
  }, async (request, reply) => {
    const target = validTarget(request.body.url);
    if (!target) {
      return reply.code(422).send({ error: 'url must be an http(s) address without credentials' });
    }
    const ttl = (request.body.ttlDays || 30) * 86400;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const code = makeCode();
      const stored = await app.redis.set(`link:${code}`, target, 'EX', ttl, 'NX');
      if (stored === 'OK') {
        return reply.code(201).send({ code, short: `${BASE_URL}/${code}`, target });
      }
    }
    request.log.error('could not find a free short code after 5 attempts');
    return reply.code(503).send({ error: 'try again' });
  });

  app.get('/:code', async (request, reply) => {
    const { code } = request.params;
    if (!/^[a-zA-Z0-9]{7}$/.test(code)) return reply.code(404).send({ error: 'not found' });
    const target = await app.redis.get(`link:${code}`);
    if (!target) return reply.code(404).send({ error: 'not found' });
    await app.redis.hincrby('clicks', code, 1);
    return reply.redirect(302, target);
  });

  app.get('/:code/stats', async (request, reply) => {
    const { code } = request.params;
    const [target, clicks, ttl] = await Promise.all([
      app.redis.get(`link:${code}`),
      app.redis.hget('clicks', code),
      app.redis.ttl(`link:${code}`),
    ]);
    if (!target) return reply.code(404).send({ error: 'not found' });
    return { code, target, clicks: Number(clicks || 0), expiresInSeconds: ttl };
  });

  return app;
}

if (require.main === module) {
  build().listen({ port: Number(process.env.PORT || 3000), host: '0.0.0.0' }).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

module.exports = { build, validTarget };
