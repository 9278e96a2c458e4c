'use strict';

const fs = require('node:fs');
const dotenv = require('dotenv');

function load(file) {
  return dotenv.parse(fs.readFileSync(file));
}

function diff([left, right]) {
  if (!left || !right) throw new UsageError('diff needs two files');
  const a = load(left);
  const b = load(right);
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const lines = [];
  for (const key of keys) {
    if (!(key in b)) lines.push(`- ${key}`);
    else if (!(key in a)) lines.push(`+ ${key}`);
    else if (a[key] !== b[key]) lines.push(`~ ${key}`);
  }
  return { code: lines.length ? 1 : 0, output: lines.join('\n') };
}

class UsageError extends Error {}

module.exports = { diff, UsageError };
