'use strict';

const QUESTION_SECONDS = 20;

class QuizRoom {
  constructor(id, questions, broadcast) {
    this.id = id;
    this.questions = questions;
    this.broadcast = broadcast;
    this.players = new Map();
    this.current = -1;
    this.answers = new Map();
    this.timer = null;
  }

  // Messages are dispatched by type to the on<Type> method below, so adding a
  // message type is adding a method; unknown types are rejected.
  handle(playerId, message) {
    const type = String(message && message.type);
    const name = `on${type.charAt(0).toUpperCase()}${type.slice(1)}`;
    const method = this[name];
    if (!/^[a-z]+$/.test(type) || typeof method !== 'function' || !Object.hasOwn(QuizRoom.prototype, name)) {
      return { error: `unknown message type ${type}` };
    }
    return method.call(this, playerId, message);
  }

  onJoin(playerId, { nickname }) {
    if (typeof nickname !== 'string' || nickname.trim() === '') return { error: 'nickname required' };
    this.players.set(playerId, { nickname: nickname.trim().slice(0, 20), score: 0 });
    this.broadcast({ type: 'players', players: this.scoreboard() });
    return { ok: true };
  }

  onLeave(playerId) {
    this.players.delete(playerId);
    this.broadcast({ type: 'players', players: this.scoreboard() });
    return { ok: true };
  }

  onStart(playerId) {
    if (this.current !== -1) return { error: 'already started' };
    this.next();
    return { ok: true };
  }

  onAnswer(playerId, { choice }) {
    if (!this.players.has(playerId)) return { error: 'join first' };
    if (this.current < 0 || this.answers.has(playerId)) return { error: 'not accepting answers' };
    this.answers.set(playerId, { choice, at: Date.now() });
    if (this.answers.size === this.players.size) this.reveal();
    return { ok: true };
  }

  next() {
    clearTimeout(this.timer);
    this.current += 1;
    this.answers.clear();
    const q = this.questions[this.current];
    if (!q) {
      this.broadcast({ type: 'finished', players: this.scoreboard() });
      return;
    }
    this.askedAt = Date.now();
    this.broadcast({ type: 'question', index: this.current, text: q.text, choices: q.choices });
    this.timer = setTimeout(() => this.reveal(), QUESTION_SECONDS * 1000);
  }

  reveal() {
    clearTimeout(this.timer);
    const q = this.questions[this.current];
    for (const [playerId, answer] of this.answers) {
      if (answer.choice !== q.correct) continue;
      const player = this.players.get(playerId);
      if (!player) continue;
      const speed = 1 - (answer.at - this.askedAt) / (QUESTION_SECONDS * 1000);
      player.score += 500 + Math.round(500 * Math.max(0, speed));
    }
    this.broadcast({ type: 'reveal', correct: q.correct, players: this.scoreboard() });
    this.timer = setTimeout(() => this.next(), 5000);
  }

  scoreboard() {
    return [...this.players.values()].sort((a, b) => b.score - a.score);
  }
}

module.exports = { QuizRoom };
