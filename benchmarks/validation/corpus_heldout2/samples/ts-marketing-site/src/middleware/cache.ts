import type { NextFunction, Request, RequestHandler, Response } from 'express';

const IMMUTABLE = /\.[0-9a-f]{8,}\.(css|js|woff2|png|webp|svg)$/;

export function cacheHeaders(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (IMMUTABLE.test(req.path)) {
      res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    } else if (req.path.endsWith('.html') || req.path.endsWith('/')) {
      res.setHeader('Cache-Control', 'public, max-age=0, must-revalidate');
    } else {
      res.setHeader('Cache-Control', 'public, max-age=3600');
    }
    next();
  };
}
