'use strict';

const express = require('express');
const cookieParser = require('cookie-parser');
const Redis = require('ioredis');
const { sessionMiddleware } = require('./lib/sessions');
const { authRoutes } = require('./routes/auth');
const { adminRoutes } = require('./routes/admin');

function createApp({ users, audit, redis = new Redis(process.env.REDIS_URL) }) {
  const app = express();
  app.use(express.json({ limit: '100kb' }));
  app.use(cookieParser());
  app.use(sessionMiddleware(redis));
  app.use('/auth', authRoutes({ redis, users }));
  app.use('/admin', adminRoutes({ redis, users, audit }));
  return app;
}

module.exports = { createApp };
