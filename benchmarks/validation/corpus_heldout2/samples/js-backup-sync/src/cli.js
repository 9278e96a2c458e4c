#!/usr/bin/env node
import { parseArgs, styleText } from 'node:util';
import { promises as fsp, constants as fsConstants } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import os from 'node:os';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'dry-run': { type: 'boolean', default: false },
    keep: { type: 'string', default: '7' },
    timeout: { type: 'string', default: '30' },
  },
});

const [source, targetRoot] = positionals;
if (!source || !targetRoot) {
  console.error('usage: backup-sync [--dry-run] [--keep N] SOURCE TARGET_DIR');
  process.exit(2);
}

const keep = Number.parseInt(values.keep, 10);
const stamp = new Date().toISOString().replaceAll(':', '-');
const runId = randomUUID();

async function snapshots(dir) {
  const entries = await fsp.readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && e.name.startsWith('snap-'))
    .map((e) => e.name)
    .toSorted();
}

async function copySnapshot() {
  const target = path.join(targetRoot, `snap-${stamp}`);
  await fsp.access(source, fsConstants.R_OK);
  if (values['dry-run']) {
    console.log(`would copy ${source} -> ${target}`);
    return target;
  }
  await fsp.cp(source, target, { recursive: true, errorOnExist: true, preserveTimestamps: true });
  const manifest = structuredClone({ runId, source, host: os.hostname(), createdAt: stamp });
  await fsp.writeFile(path.join(target, '.manifest.json'), JSON.stringify(manifest, null, 2));
  return target;
}

async function prune() {
  const all = await snapshots(targetRoot);
  const doomed = all.slice(0, Math.max(0, all.length - keep));
  const newest = all.findLast((name) => !doomed.includes(name));
  for (const name of doomed) {
    if (values['dry-run']) console.log(`would remove ${name}`);
    else await fsp.rm(path.join(targetRoot, name), { recursive: true, force: true });
  }
  return { removed: doomed.length, newest };
}

const deadline = AbortSignal.timeout(Number(values.timeout) * 1000);
deadline.addEventListener('abort', () => {
  console.error(styleText('red', 'backup timed out'));
  process.exit(1);
});

await fsp.mkdir(targetRoot, { recursive: true });
const created = await copySnapshot();
const { removed, newest } = await prune();
console.log(styleText('green', `snapshot ${path.basename(created)} done`), `(removed ${removed}, newest kept: ${newest ?? 'none'})`);
process.exit(0);
