'use strict';

const crypto = require('node:crypto');

const SESSION_TTL_SECONDS = 60 * 60 * 8;
const PREFIX = 'sess:';

function newSessionId() {
  return crypto.randomBytes(32).toString('base64url');
}

// Sessions live in Redis so that every app instance sees the same logins.
async function openSession(redis, { userId, role, impersonatedBy = null }) {
  const id = newSessionId();
  const record = {
    userId,
    role,
    impersonatedBy,
    createdAt: new Date().toISOString(),
  };
  await redis.set(PREFIX + id, JSON.stringify(record), 'EX', SESSION_TTL_SECONDS);
  return id;
}

async function readSession(redis, id) {
  if (!id) return null;
  const raw = await redis.get(PREFIX + id);
  if (!raw) return null;
  await redis.expire(PREFIX + id, SESSION_TTL_SECONDS);
  return { id, ...JSON.parse(raw) };
}

async function closeSession(redis, id) {
  await redis.del(PREFIX + id);
}

function sessionMiddleware(redis) {
  return async (req, res, next) => {
    try {
      req.session = await readSession(redis, req.cookies?.sid || req.get('x-session'));
      next();
    } catch (err) {
      next(err);
    }
  };
}

module.exports = { openSession, readSession, closeSession, sessionMiddleware, SESSION_TTL_SECONDS };
