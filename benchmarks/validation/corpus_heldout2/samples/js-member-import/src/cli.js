#!/usr/bin/env node
'use strict';

const { Pool } = require('pg');
const { MemberImporter } = require('./importer');

async function main(argv) {
  const args = argv.slice(2);
  const dryRun = args.includes('--dry-run');
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) {
    console.error('usage: member-import [--dry-run] FILE.csv');
    return 2;
  }
  const pool = new Pool({ connectionString: process.env.DATABASE_URL });
  try {
    const importer = new MemberImporter(pool, { dryRun });
    const result = await importer.run(file);
    for (const err of result.errors.slice(0, 20)) console.error(err.message);
    if (result.errors.length > 20) console.error(`... and ${result.errors.length - 20} more`);
    return result.errors.length > 0 ? 1 : 0;
  } finally {
    await pool.end();
  }
}

main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err.message); process.exitCode = 1; },
);
