import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

interface Hit {
  ip: string;
  time: Date;
  method: string;
  path: string;
  status: number;
  bytes: number;
}

const LINE = /^(\S+) \S+ \S+ \[([^\]]+)\] "(\S+) (\S+) [^"]*" (\d{3}) (\d+|-)/;
const MONTHS: Record<string, string> = {
  Jan: '01', Feb: '02', Mar: '03', Apr: '04', May: '05', Jun: '06',
  Jul: '07', Aug: '08', Sep: '09', Oct: '10', Nov: '11', Dec: '12',
};

function parseTime(clf: string): Date {
  const [, day, mon, year, hh, mm, ss, zone] = /^(\d{2})\/(\w{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-]\d{4})$/.exec(clf) ?? [];
  return new Date(`${year}-${MONTHS[mon]}-${day}T${hh}:${mm}:${ss}${zone.slice(0, 3)}:${zone.slice(3)}`);
}

function parse(line: string): Hit | undefined {
  const m = LINE.exec(line);
  if (!m) return undefined;
  return {
    ip: m[1],
    time: parseTime(m[2]),
    method: m[3],
    path: m[4].split('?')[0],
    status: Number(m[5]),
    bytes: m[6] === '-' ? 0 : Number(m[6]),
  };
}

async function loadHits(dir: string): Promise<Hit[]> {
  // readdir's recursive option exists since Node 20.1.
  const files = (await readdir(dir, { recursive: true })).filter((f) => /access\.log(\.\d+)?$/.test(f));
  const hits: Hit[] = [];
  for (const file of files) {
    const text = await readFile(path.join(dir, file), 'utf8');
    for (const line of text.split('\n')) {
      const hit = parse(line);
      if (hit) hits.push(hit);
    }
  }
  return hits;
}

function topPaths(hits: Hit[], n: number) {
  // Object.groupBy is ES2024 (Node 21+).
  const groups = Object.groupBy(hits, (h) => h.path);
  return Object.entries(groups)
    .map(([p, list]) => ({ path: p, hits: list?.length ?? 0 }))
    .toSorted((a, b) => b.hits - a.hits)
    .slice(0, n);
}

function statusClasses(hits: Hit[]): Map<string, number> {
  const byClass = Map.groupBy(hits, (h) => `${Math.floor(h.status / 100)}xx`);
  return new Map([...byClass].map(([k, v]) => [k, v.length]));
}

function uniqueVisitors(hits: Hit[]): number {
  return new Set(hits.map((h) => h.ip)).size;
}

const dir = process.argv[2] ?? '/var/log/nginx';
const hits = await loadHits(dir);
if (hits.length === 0) {
  console.error(`no access log lines found under ${dir}`);
  process.exit(1);
}
const first = hits.reduce((a, b) => (a.time < b.time ? a : b)).time;
const last = hits.at(-1)?.time;
const segmenter = new Intl.Segmenter('en', { granularity: 'word' });
console.log(`${hits.length} requests, ${uniqueVisitors(hits)} visitors, ${first.toISOString()} .. ${last?.toISOString()}`);
for (const [cls, count] of statusClasses(hits)) console.log(`  ${cls}: ${count}`);
for (const { path: p, hits: n } of topPaths(hits, 10)) {
  const words = [...segmenter.segment(p.replaceAll('/', ' '))].filter((s) => s.isWordLike).length;
  console.log(`  ${String(n).padStart(7)}  ${p}  (${words} segment(s))`);
}
