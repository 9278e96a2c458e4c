'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { PasswordReset, hashToken, TOKEN_TTL_MS } = require('../src/reset');

// In-memory stand-ins for the database tables and the SMTP transport; the
// unit under test is the reset flow, not the storage.
class FakeUsers {
  constructor(users) {
    this.byEmail = new Map(users.map((u) => [u.email, u]));
    this.hashes = new Map();
  }
  async findByEmail(email) {
    return this.byEmail.get(email) || null;
  }
  async setPasswordHash(id, hash) {
    this.hashes.set(id, hash);
  }
}

class FakeTokens {
  constructor() {
    this.rows = new Map();
  }
  async save(row) {
    this.rows.set(row.hash, row);
  }
  async take(hash) {
    const row = this.rows.get(hash) || null;
    this.rows.delete(hash);
    return row;
  }
}

class FakeMailer {
  constructor() {
    this.sent = [];
  }
  async sendMail(message) {
    this.sent.push(message);
    return { messageId: `<fake-${this.sent.length}@test>`, accepted: [message.to] };
  }
}

function setup(now = 1_700_000_000_000) {
  const users = new FakeUsers([{ id: 7, email: 'ada@example.org' }]);
  const tokens = new FakeTokens();
  const mailer = new FakeMailer();
  let clock = now;
  const reset = new PasswordReset({
    users, tokens, mailer, baseUrl: 'https://app.example.org', clock: () => clock,
  });
  return { reset, users, tokens, mailer, advance: (ms) => { clock += ms; } };
}

function tokenFrom(mail) {
  return /token=([\w-]+)/.exec(mail.text)[1];
}

test('unknown address sends nothing but answers the same', async () => {
  const { reset, mailer } = setup();
  assert.deepEqual(await reset.request('nobody@example.org'), { sent: true });
  assert.equal(mailer.sent.length, 0);
});

test('token from the mail sets the new password once', async () => {
  const { reset, users, mailer } = setup();
  await reset.request('ada@example.org');
  const token = tokenFrom(mailer.sent[0]);
  const result = await reset.confirm(token, 'correct horse battery', async (p) => `h(${p})`);
  assert.deepEqual(result, { ok: true });
  assert.equal(users.hashes.get(7), 'h(correct horse battery)');
  const again = await reset.confirm(token, 'correct horse battery', async (p) => p);
  assert.equal(again.ok, false);
});

test('expired token is refused', async () => {
  const { reset, mailer, tokens, advance } = setup();
  await reset.request('ada@example.org');
  const token = tokenFrom(mailer.sent[0]);
  assert.ok(tokens.rows.has(hashToken(token)));
  advance(TOKEN_TTL_MS + 1);
  const result = await reset.confirm(token, 'correct horse battery', async (p) => p);
  assert.deepEqual(result, { ok: false, reason: 'expired or unknown token' });
});
