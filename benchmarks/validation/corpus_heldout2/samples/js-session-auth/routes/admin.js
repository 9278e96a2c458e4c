'use strict';

const express = require('express');
const sessions = require('../lib/sessions');

function requireRole(role) {
  return (req, res, next) => {
    if (!req.session) return res.status(401).json({ error: 'not logged in' });
    if (req.session.role !== role) return res.status(403).json({ error: 'forbidden' });
    return next();
  };
}

function adminRoutes({ redis, users, audit }) {
  const router = express.Router();
  router.use(requireRole('admin'));

  router.get('/users', async (req, res, next) => {
    try {
      const page = Math.max(1, Number.parseInt(req.query.page, 10) || 1);
      const rows = await users.list({ offset: (page - 1) * 50, limit: 50 });
      res.json({ page, users: rows });
    } catch (err) {
      next(err);
    }
  });

  // Support staff log in as a tenant to reproduce what the tenant sees; the
  // admin's id stays in the session so every action is traceable to them.
  router.post('/users/:id/impersonate', async (req, res, next) => {
    try {
      const target = await users.byId(req.params.id);
      if (!target) return res.status(404).json({ error: 'no such user' });
      if (target.role === 'admin') {
        return res.status(422).json({ error: 'admins cannot be impersonated' });
      }
      const sid = await sessions.createSession(redis, target.id, target.role, req.session.userId);
      await audit.record({
        actor: req.session.userId,
        action: 'impersonate',
        subject: target.id,
      });
      res.cookie('sid', sid, { httpOnly: true, secure: true, sameSite: 'lax' });
      res.json({ impersonating: target.id });
    } catch (err) {
      next(err);
    }
  });

  router.delete('/users/:id/sessions', async (req, res, next) => {
    try {
      const ids = await users.sessionIds(req.params.id);
      await Promise.all(ids.map((id) => sessions.closeSession(redis, id)));
      res.status(204).end();
    } catch (err) {
      next(err);
    }
  });

  return router;
}

module.exports = { adminRoutes, requireRole };
