import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { jwtVerify, createRemoteJWKSet } from 'jose';

const jwks = createRemoteJWKSet(new URL(process.env.JWKS_URL ?? 'https://auth.example.org/.well-known/jwks.json'));

export async function authenticate(req: Request, res: Response, next: NextFunction): Promise<void> {
  req.requestId = req.get('x-request-id') ?? randomUUID();
  const header = req.get('authorization');
  if (!header?.startsWith('Bearer ')) {
    next();
    return;
  }
  try {
    const { payload } = await jwtVerify(header.slice(7), jwks, { audience: 'wiki-api' });
    req.user = {
      id: String(payload.sub),
      name: typeof payload.name === 'string' ? payload.name : 'unknown',
      roles: Array.isArray(payload.roles) ? payload.roles.map(String) : [],
    };
    next();
  } catch {
    res.status(401).json({ error: 'invalid token', requestId: req.requestId });
  }
}

export function requireRole(role: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.user) {
      res.status(401).json({ error: 'login required', requestId: req.requestId });
      return;
    }
    if (!req.user.roles.includes(role)) {
      res.status(403).json({ error: `role ${role} required`, requestId: req.requestId });
      return;
    }
    next();
  };
}
