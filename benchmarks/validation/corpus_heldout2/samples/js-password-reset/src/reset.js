'use strict';

const crypto = require('node:crypto');

const TOKEN_TTL_MS = 30 * 60 * 1000;

function hashToken(token) {
  return crypto.createHash('sha256').update(token).digest('hex');
}

class PasswordReset {
  constructor({ users, tokens, mailer, baseUrl, clock = () => Date.now() }) {
    this.users = users;
    this.tokens = tokens;
    this.mailer = mailer;
    this.baseUrl = baseUrl;
    this.clock = clock;
  }

  async request(email) {
    const user = await this.users.findByEmail(email);
    // Same answer whether or not the address exists, so the form cannot be
    // used to discover accounts.
    if (!user) return { sent: true };
    const token = crypto.randomBytes(32).toString('base64url');
    await this.tokens.save({
      userId: user.id,
      hash: hashToken(token),
      expiresAt: this.clock() + TOKEN_TTL_MS,
    });
    await this.mailer.sendMail({
      to: user.email,
      subject: 'Reset your password',
      text: `Open ${this.baseUrl}/reset?token=${token} within 30 minutes to choose a new password.`,
    });
    return { sent: true };
  }

  async confirm(token, newPassword, hashPassword) {
    const record = await this.tokens.take(hashToken(token));
    if (!record || record.expiresAt < this.clock()) {
      return { ok: false, reason: 'expired or unknown token' };
    }
    if (typeof newPassword !== 'string' || newPassword.length < 12) {
      return { ok: false, reason: 'password too short' };
    }
    await this.users.setPasswordHash(record.userId, await hashPassword(newPassword));
    return { ok: true };
  }
}

module.exports = { PasswordReset, hashToken, TOKEN_TTL_MS };
