import { createServer } from 'node:http';

import { NotFoundError, TaskStore, ValidationError, overdue } from './store.js';

const store = new TaskStore();

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/tasks') return send(res, 200, store.list());
    if (req.method === 'GET' && url.pathname === '/tasks/overdue') return send(res, 200, overdue(store.list()));
    if (req.method === 'POST' && url.pathname === '/tasks') return send(res, 201, await store.create(await readJson(req)));
    return send(res, 404, { error: 'not found' });
  } catch (err) {
    if (err instanceof ValidationError) return send(res, 422, { error: err.message, field: err.field });
    if (err instanceof NotFoundError) return send(res, 404, { error: err.message });
    if (err instanceof SyntaxError) return send(res, 400, { error: 'invalid JSON' });
    console.error(err);
    return send(res, 500, { error: 'internal error' });
  }
});

await store.load();
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');

