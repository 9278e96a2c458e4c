'use strict';

const crypto = require('node:crypto');

const TOLERANCE_SECONDS = 300;

function computeSignature(secret, timestamp, body) {
  return crypto
    .createHmac('sha256', secret)
    .update(`${timestamp}.${body}`)
    .digest('hex');
}

function verifySignature(secret, header, body, now = Date.now()) {
  if (typeof header !== 'string' || header.length === 0) {
    return { ok: false, reason: 'missing signature header' };
  }
  const parts = Object.fromEntries(
    header.split(',').map((kv) => {
      const idx = kv.indexOf('=');
      return idx === -1 ? [kv.trim(), ''] : [kv.slice(0, idx).trim(), kv.slice(idx + 1).trim()];
    }),
  );
  const timestamp = Number(parts.t);
  if (!Number.isFinite(timestamp)) {
    return { ok: false, reason: 'bad timestamp' };
  }
  if (Math.abs(now / 1000 - timestamp) > TOLERANCE_SECONDS) {
    return { ok: false, reason: 'timestamp outside tolerance' };
  }
  const expected = Buffer.from(computeSignature(secret, timestamp, body), 'hex');
  const given = Buffer.from(parts.v1 || '', 'hex');
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'signature mismatch' };
  }
  return { ok: true };
}

module.exports = { computeSignature, verifySignature };
