'use strict';

const express = require('express');
const bcrypt = require('bcryptjs');
const sessions = require('../lib/sessions');

function authRoutes({ redis, users }) {
  const router = express.Router();

  router.post('/login', async (req, res, next) => {
    try {
      const { email, password } = req.body || {};
      if (typeof email !== 'string' || typeof password !== 'string') {
        return res.status(400).json({ error: 'email and password are required' });
      }
      const user = await users.byEmail(email.toLowerCase());
      const ok = user && (await bcrypt.compare(password, user.passwordHash));
      if (!ok) {
        return res.status(401).json({ error: 'wrong email or password' });
      }
      const sid = await sessions.openSession(redis, { userId: user.id, role: user.role });
      res.cookie('sid', sid, {
        httpOnly: true,
        secure: true,
        sameSite: 'lax',
        maxAge: sessions.SESSION_TTL_SECONDS * 1000,
      });
      return res.json({ user: { id: user.id, name: user.name, role: user.role } });
    } catch (err) {
      return next(err);
    }
  });

  router.post('/logout', async (req, res, next) => {
    try {
      if (req.session) await sessions.closeSession(redis, req.session.id);
      res.clearCookie('sid');
      res.status(204).end();
    } catch (err) {
      next(err);
    }
  });

  return router;
}

module.exports = { authRoutes };
