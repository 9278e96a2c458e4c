#!/usr/bin/env node
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const prompts = require('prompts');
const { serverJs, readme, packageJson } = require('../templates/files');

async function main() {
  const answers = await prompts([
    { type: 'text', name: 'name', message: 'Project name', initial: 'my-api',
      validate: (v) => /^[a-z0-9-]+$/.test(v) || 'lowercase letters, digits and dashes' },
    { type: 'number', name: 'port', message: 'Port', initial: 3000, min: 1, max: 65535 },
  ]);
  if (!answers.name) return 1;
  const dir = path.resolve(answers.name);
  if (fs.existsSync(dir)) {
    console.error(`${dir} already exists`);
    return 1;
  }
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'server.js'), serverJs(answers));
  fs.writeFileSync(path.join(dir, 'README.md'), readme(answers));
  fs.writeFileSync(path.join(dir, 'package.json'), packageJson(answers));
  console.log(`Created ${answers.name}. Next: cd ${answers.name} && npm install && npm start`);
  return 0;
}

main().then((code) => { process.exitCode = code; });
