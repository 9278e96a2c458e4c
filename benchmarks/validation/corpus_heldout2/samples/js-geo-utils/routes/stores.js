'use strict';

const express = require('express');
const { haversineKm, nearest, parsePoint } = require('../src/geo');

function storeRoutes(stores) {
  const router = express.Router();

  router.get('/nearest', (req, res) => {
    const origin = parsePoint(req.query);
    if (!origin) return res.status(400).json({ error: 'lat and lon must be valid coordinates' });
    const limit = Math.min(20, Number.parseInt(req.query.limit, 10) || 5);
    return res.json(nearest(origin, stores, limit));
  });

  router.get('/:id/distance', (req, res) => {
    const store = stores.find((s) => s.id === req.params.id);
    if (!store) return res.status(404).json({ error: 'unknown store' });
    const origin = parsePoint(req.query);
    if (!origin) return res.status(400).json({ error: 'lat and lon must be valid coordinates' });
    return res.json({ id: store.id, km: Number(haversineKm(origin, store).toFixed(2)) });
  });

  return router;
}

module.exports = { storeRoutes };
