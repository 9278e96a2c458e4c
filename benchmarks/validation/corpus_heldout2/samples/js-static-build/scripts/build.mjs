import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import matter from 'gray-matter';
import { marked } from 'marked';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const contentDir = path.join(root, 'content');
const publicDir = path.join(root, 'public');
const outDir = path.join(root, 'dist');

const layout = (page, nav) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${escapeHtml(page.title)} · Docs</title>
  <link rel="stylesheet" href="/style.css">
</head>
<body>
  <nav>${nav}</nav>
  <main>${page.html}</main>
</body>
</html>
`;

function escapeHtml(text) {
  return String(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

async function* walk(dir) {
  for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      yield* walk(full);
    } else if (entry.isFile()) {
      yield full;
    }
  }
}

async function loadPages() {
  const pages = [];
  for await (const file of walk(contentDir)) {
    if (!file.endsWith('.md')) continue;
    const source = await fsp.readFile(file, 'utf8');
    const { data, content } = matter(source);
    if (data.draft && !process.env.INCLUDE_DRAFTS) continue;
    const rel = path.relative(contentDir, file).replace(/\.md$/, '');
    const slug = rel.endsWith('index') ? rel.slice(0, -'index'.length) : `${rel}/`;
    pages.push({
      slug: slug.split(path.sep).join('/'),
      title: data.title || path.basename(rel),
      order: Number.isFinite(data.order) ? data.order : 1000,
      html: marked.parse(content),
    });
  }
  pages.sort((a, b) => a.order - b.order || a.title.localeCompare(b.title));
  return pages;
}

function renderNav(pages) {
  const items = pages.map((p) => `<li><a href="/${p.slug}">${escapeHtml(p.title)}</a></li>`);
  return `<ul>${items.join('')}</ul>`;
}

async function copyPublic() {
  if (!(await fsp.exists(publicDir))) {
    return 0;
  }
  let copied = 0;
  for await (const file of walk(publicDir)) {
    const target = path.join(outDir, path.relative(publicDir, file));
    await fsp.mkdir(path.dirname(target), { recursive: true });
    await fsp.copyFile(file, target);
    copied += 1;
  }
  return copied;
}

async function build() {
  const started = performance.now();
  await fsp.rm(outDir, { recursive: true, force: true });
  await fsp.mkdir(outDir, { recursive: true });

  const pages = await loadPages();
  const nav = renderNav(pages);
  for (const page of pages) {
    const target = path.join(outDir, page.slug, 'index.html');
    await fsp.mkdir(path.dirname(target), { recursive: true });
    await fsp.writeFile(target, layout(page, nav));
  }
  const assets = await copyPublic();

  const ms = Math.round(performance.now() - started);
  console.log(`built ${pages.length} pages and ${assets} assets in ${ms} ms`);
}

build().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
