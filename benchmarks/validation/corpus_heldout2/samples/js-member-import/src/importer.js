'use strict';

const fs = require('node:fs');
const { parse } = require('csv-parse');

const REQUIRED_COLUMNS = ['member_no', 'first_name', 'last_name', 'email', 'joined', 'plan'];
const PLANS = new Set(['basic', 'plus', 'premium', 'student']);

class RowError extends Error {
  constructor(rowNumber, message) {
    super(`row ${rowNumber}: ${message}`);
    this.rowNumber = rowNumber;
  }
}

class MemberImporter {
  constructor(pool, { batchSize = 200, dryRun = false, logger = console } = {}) {
    this.pool = pool;
    this.batchSize = batchSize;
    this.dryRun = dryRun;
    this.logger = logger;
    this.errors = [];
    this.imported = 0;
    this.skipped = 0;
  }

  checkHeader(header) {
    const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
    if (missing.length > 0) {
      throw new Error(`CSV is missing columns: ${missing.join(', ')}`);
    }
  }

  normaliseEmail(raw, rowNumber) {
    const email = String(raw || '').trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
      throw new RowError(rowNumber, `invalid email ${JSON.stringify(raw)}`);
    }
    return email;
  }

  normalisePlan(raw, rowNumber) {
    const plan = String(raw || '').trim().toLowerCase();
    if (!PLANS.has(plan)) {
      throw new RowError(rowNumber, `unknown plan ${JSON.stringify(raw)}`);
    }
    return plan;
  }

  toMember(record, rowNumber) {
    const memberNo = Number.parseInt(record.member_no, 10);
    if (!Number.isInteger(memberNo) || memberNo <= 0) {
      throw new RowError(rowNumber, `bad member number ${JSON.stringify(record.member_no)}`);
    }
    return {
      memberNo,
      firstName: record.first_name.trim(),
      lastName: record.last_name.trim(),
      email: this.normaliseEmail(record.email, rowNumber),
      joinedOn: this.parseLegacyDate(record.joined, rowNumber),
      plan: this.normalisePlan(record.plan, rowNumber),
    };
  }

  async writeBatch(members) {
    if (members.length === 0 || this.dryRun) return;
    const values = [];
    const placeholders = members.map((m, i) => {
      const o = i * 6;
      values.push(m.memberNo, m.firstName, m.lastName, m.email, m.joinedOn, m.plan);
      return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6})`;
    });
    const sql = `
      INSERT INTO members (member_no, first_name, last_name, email, joined_on, plan)
      VALUES ${placeholders.join(', ')}
      ON CONFLICT (member_no) DO UPDATE
        SET first_name = EXCLUDED.first_name,
            last_name = EXCLUDED.last_name,
            email = EXCLUDED.email,
            plan = EXCLUDED.plan`;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(sql, values);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
  }

  async run(path) {
    const parser = fs.createReadStream(path).pipe(
      parse({ columns: (header) => { this.checkHeader(header); return header; }, trim: true, bom: true }),
    );
    let batch = [];
    let rowNumber = 1;
    for await (const record of parser) {
      rowNumber += 1;
      try {
        batch.push(this.toMember(record, rowNumber));
      } catch (err) {
        if (!(err instanceof RowError)) throw err;
        this.errors.push(err);
        this.skipped += 1;
        continue;
      }
      if (batch.length >= this.batchSize) {
        await this.writeBatch(batch);
        this.imported += batch.length;
        batch = [];
      }
    }
    await this.writeBatch(batch);
    this.imported += batch.length;
    this.logger.info(`imported ${this.imported}, skipped ${this.skipped}`);
    return { imported: this.imported, skipped: this.skipped, errors: this.errors };
  }
}

module.exports = { MemberImporter, RowError };
