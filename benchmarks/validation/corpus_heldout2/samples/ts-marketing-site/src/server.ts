import express from 'express';
import helmet from 'helmet';
import type { Server } from 'node:http';
import { cacheHeaders } from './middleware/cache.js';

export function start(port: number): Server {
  const app = express();
  app.disable('x-powered-by');
  app.use(helmet({ contentSecurityPolicy: { directives: { 'img-src': ["'self'", 'data:'] } } }));
  app.use(cacheHeaders());
  app.use(express.static('public', { extensions: ['html'] }));
  app.use((_req, res) => {
    res.status(404).sendFile('404.html', { root: 'public' });
  });
  return app.listen(port);
}

start(Number(process.env.PORT ?? 8080));
