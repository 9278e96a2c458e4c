'use strict';

const db = require('../lib/db');

function parseRange(query) {
  const from = new Date(query.from);
  const to = new Date(query.to);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from > to) {
    return null;
  }
  return { from, to };
}

async function hoursByProject(req, res, next) {
  try {
    const range = parseRange(req.query);
    if (!range) return res.status(400).json({ error: 'from and to must be ISO dates, from <= to' });
    const rows = await db('entries')
      .join('projects', 'projects.id', 'entries.project_id')
      .whereBetween('entries.day', [range.from, range.to])
      .groupBy('projects.id', 'projects.name')
      .select('projects.id', 'projects.name')
      .sum({ minutes: 'entries.minutes' })
      .orderBy('minutes', 'desc');
    return res.json(rows.map((r) => ({ id: r.id, name: r.name, hours: Number(r.minutes) / 60 })));
  } catch (err) {
    return next(err);
  }
}

async function hoursByPerson(req, res, next) {
  try {
    const range = parseRange(req.query);
    if (!range) return res.status(400).json({ error: 'from and to must be ISO dates, from <= to' });
    const rows = await db('entries')
      .join('people', 'people.id', 'entries.person_id')
      .whereBetween('entries.day', [range.from, range.to])
      .groupBy('people.id', 'people.name')
      .select('people.id', 'people.name')
      .sum({ minutes: 'entries.minutes' })
      .orderBy('people.name');
    return res.json(rows.map((r) => ({ id: r.id, name: r.name, hours: Number(r.minutes) / 60 })));
  } catch (err) {
    return next(err);
  }
}

async function overtime(req, res, next) {
  try {
    const range = parseRange(req.query);
    if (!range) return res.status(400).json({ error: 'from and to must be ISO dates, from <= to' });
    const weekly = Number(req.query.weeklyHours || 40);
    const weeks = Math.max(1, (range.to - range.from) / (7 * 86400000));
    const rows = await db('entries')
      .join('people', 'people.id', 'entries.person_id')
      .whereBetween('entries.day', [range.from, range.to])
      .groupBy('people.id', 'people.name')
      .select('people.id', 'people.name')
      .sum({ minutes: 'entries.minutes' });
    return res.json(
      rows
        .map((r) => ({ id: r.id, name: r.name, overtime: Number(r.minutes) / 60 - weekly * weeks }))
        .filter((r) => r.overtime > 0),
    );
  } catch (err) {
    return next(err);
  }
}

module.exports = { hoursByProject, hoursByPerson, overtime, parseRange };
