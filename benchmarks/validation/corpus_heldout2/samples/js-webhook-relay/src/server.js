'use strict';

const http = require('node:http');
const { setTimeout: sleep } = require('node:timers/promises');
const pino = require('pino');
const { verifySignature } = require('./signature');

const log = pino({ level: process.env.LOG_LEVEL || 'info' });

const PORT = Number(process.env.PORT || 8080);
const SECRET = process.env.WEBHOOK_SECRET;
const MAX_BODY = 256 * 1024;
const MAX_ATTEMPTS = 5;

const subscribers = (process.env.SUBSCRIBERS || '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);

const stats = {
  received: 0,
  rejected: 0,
  delivered: 0,
  failed: 0,
};

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(Object.assign(new Error('payload too large'), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res, status, payload) {
  const body = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

async function postOnce(url, body, eventId) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-relay-event-id': eventId,
    },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  if (response.status >= 500) {
    throw new Error(`subscriber ${url} answered ${response.status}`);
  }
  return response.status;
}

async function deliver(url, body, eventId) {
  let delay = 500;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    try {
      const status = await postOnce(url, body, eventId);
      log.debug({ url, status, attempt, eventId }, 'delivered');
      stats.delivered += 1;
      return;
    } catch (err) {
      if (attempt === MAX_ATTEMPTS) {
        throw err;
      }
      log.warn({ url, attempt, eventId, err: err.message }, 'delivery attempt failed, retrying');
      await sleep(delay);
      delay *= 2;
    }
  }
}

function fanOut(body, eventId) {
  for (const url of subscribers) {
    deliver(url, body, eventId).catch(() => {});
  }
}

async function handleWebhook(req, res) {
  let body;
  try {
    body = await readBody(req);
  } catch (err) {
    sendJson(res, err.status || 400, { error: err.message });
    return;
  }
  stats.received += 1;

  const check = verifySignature(SECRET, req.headers['x-signature'], body);
  if (!check.ok) {
    stats.rejected += 1;
    log.info({ reason: check.reason }, 'rejected webhook');
    sendJson(res, 401, { error: check.reason });
    return;
  }

  let event;
  try {
    event = JSON.parse(body);
  } catch {
    sendJson(res, 400, { error: 'body is not JSON' });
    return;
  }
  if (!event || typeof event.id !== 'string') {
    sendJson(res, 422, { error: 'event.id is required' });
    return;
  }

  fanOut(body, event.id);
  sendJson(res, 202, { accepted: event.id, subscribers: subscribers.length });
}

const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/hooks') {
    handleWebhook(req, res).catch((err) => {
      log.error({ err }, 'unexpected failure');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
    });
    return;
  }
  if (req.method === 'GET' && req.url === '/stats') {
    sendJson(res, 200, stats);
    return;
  }
  sendJson(res, 404, { error: 'not found' });
});

if (!SECRET) {
  log.fatal('WEBHOOK_SECRET is not set');
  process.exit(1);
}

server.listen(PORT, () => {
  log.info({ port: PORT, subscribers: subscribers.length }, 'relay listening');
});

process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
});
