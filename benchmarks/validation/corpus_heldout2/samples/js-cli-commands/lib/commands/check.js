'use strict';

const fs = require('node:fs');
const dotenv = require('dotenv');

function check([file, template = '.env.example']) {
  if (!file) {
    const { UsageError } = require('./diff');
    throw new UsageError('check needs a file');
  }
  const actual = dotenv.parse(fs.readFileSync(file));
  const wanted = dotenv.parse(fs.readFileSync(template));
  const missing = Object.keys(wanted).filter((k) => !(k in actual));
  const empty = Object.keys(actual).filter((k) => actual[k] === '');
  const output = [
    ...missing.map((k) => `missing: ${k}`),
    ...empty.map((k) => `empty: ${k}`),
  ].join('\n');
  return { code: missing.length ? 1 : 0, output };
}

module.exports = { check };
