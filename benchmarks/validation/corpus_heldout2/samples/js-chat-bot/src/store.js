'use strict';

const Database = require('better-sqlite3');

function openStore(file) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS teams (
      channel TEXT PRIMARY KEY,
      time TEXT NOT NULL DEFAULT '09:30',
      timezone TEXT NOT NULL DEFAULT 'Europe/Berlin',
      paused INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE IF NOT EXISTS members (
      channel TEXT NOT NULL,
      user TEXT NOT NULL,
      PRIMARY KEY (channel, user)
    );
    CREATE TABLE IF NOT EXISTS answers (
      channel TEXT NOT NULL,
      user TEXT NOT NULL,
      day TEXT NOT NULL,
      text TEXT NOT NULL,
      PRIMARY KEY (channel, user, day)
    );
  `);
  return {
    ensureTeam: db.prepare('INSERT OR IGNORE INTO teams (channel) VALUES (?)'),
    setTime: db.prepare('UPDATE teams SET time = ? WHERE channel = ?'),
    setTimezone: db.prepare('UPDATE teams SET timezone = ? WHERE channel = ?'),
    setPaused: db.prepare('UPDATE teams SET paused = ? WHERE channel = ?'),
    team: db.prepare('SELECT * FROM teams WHERE channel = ?'),
    join: db.prepare('INSERT OR IGNORE INTO members (channel, user) VALUES (?, ?)'),
    leave: db.prepare('DELETE FROM members WHERE channel = ? AND user = ?'),
    members: db.prepare('SELECT user FROM members WHERE channel = ? ORDER BY user'),
    answer: db.prepare('INSERT OR REPLACE INTO answers (channel, user, day, text) VALUES (?, ?, ?, ?)'),
    answersFor: db.prepare('SELECT user, text FROM answers WHERE channel = ? AND day = ?'),
    close: () => db.close(),
  };
}

module.exports = { openStore };
