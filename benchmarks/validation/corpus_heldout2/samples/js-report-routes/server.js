'use strict';

const express = require('express');
const reports = require('./controllers/reports');

const app = express();

function requireManager(req, res, next) {
  if (req.get('x-role') !== 'manager') return res.status(403).json({ error: 'managers only' });
  return next();
}

const router = express.Router();
router.use(requireManager);
router.get('/projects', reports.hoursByProject);
router.get('/people', reports.hoursByPerson);
router.get('/overtime', reports.overtime);
router.get('/export.csv', reports.exportCsv);

app.use('/reports', router);

app.use((err, req, res, next) => {
  console.error(err);
  res.status(500).json({ error: 'internal error' });
});

app.listen(Number(process.env.PORT || 3000));
