'use strict';

// The native masking helpers are an optional speed-up: they need a compiler at
// install time, and ws works (more slowly) without them.
let nativeMask = null;
try {
  nativeMask = require('bufferutil');
} catch (err) {
  if (err.code !== 'MODULE_NOT_FOUND') throw err;
}

let validateUtf8 = (buf) => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return true;
  } catch {
    return false;
  }
};
try {
  const native = require('utf-8-validate');
  validateUtf8 = native.isValidUTF8 || native;
} catch (err) {
  if (err.code !== 'MODULE_NOT_FOUND') throw err;
}

function encodeScore(event) {
  return JSON.stringify({
    t: event.type,
    m: event.matchId,
    h: event.home,
    a: event.away,
    min: event.minute,
  });
}

module.exports = {
  encodeScore,
  validateUtf8,
  hasNativeMask: nativeMask !== null,
};
