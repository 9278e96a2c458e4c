'use strict';

const fs = require('node:fs');
const fsp = fs.promises;

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return err.code === 'EPERM';
  }
}

function parsePid(text) {
  const pid = Number.parseInt(String(text).trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

async function readHolder(file) {
  try {
    return parsePid(await fsp.readFile(file, 'utf8'));
  } catch (err) {
    if (err.code === 'ENOENT') return null;
    throw err;
  }
}

async function acquire(file) {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await fsp.open(file, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return release.bind(null, file);
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    const holder = await readHolder(file);
    if (holder !== null && isAlive(holder)) {
      const busy = new Error(`${file} is held by running process ${holder}`);
      busy.code = 'ELOCKED';
      busy.holder = holder;
      throw busy;
    }
    // Stale lock from a crashed run: remove it and try once more. Another
    // process may remove it first, which is just as good.
    await fsp.unlink(file).catch((err) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }
  throw new Error(`could not take ${file} after removing a stale lock`);
}

async function release(file) {
  const holder = await readHolder(file);
  if (holder !== process.pid) return false;
  await fsp.unlink(file);
  return true;
}

function releaseOnExit(file) {
  process.on('exit', () => {
    try {
      if (parsePid(fs.readFileSync(file, 'utf8')) === process.pid) fs.unlinkSync(file);
    } catch (err) {
      // Only synchronous work is possible in an exit handler and the process
      // is ending; a lock that stays behind is detected as stale next run.
      process.exitCode ||= err.code === 'ENOENT' ? 0 : 1;
    }
  });
}

module.exports = { acquire, release, releaseOnExit, isAlive };
