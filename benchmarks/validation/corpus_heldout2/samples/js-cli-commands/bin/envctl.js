#!/usr/bin/env node
'use strict';

const kleur = require('kleur');
const { diff, check, UsageError } = require('../lib/commands');

const commands = { diff, check };

function main(argv) {
  const [name, ...args] = argv;
  const command = commands[name];
  if (!command) {
    console.error(`usage: envctl <${Object.keys(commands).join('|')}> ...`);
    return 2;
  }
  try {
    const { code, output } = command(args);
    if (output) console.log(code ? kleur.yellow(output) : output);
    return code;
  } catch (err) {
    if (err instanceof UsageError || err.code === 'ENOENT') {
      console.error(kleur.red(err.message));
      return 2;
    }
    throw err;
  }
}

process.exitCode = main(process.argv.slice(2));
