import type { Pool } from 'pg';
import { Repository } from './repository';

export interface Posting {
  account: string;
  amountCents: number;
}

export class UnbalancedEntry extends Error {}

export class LedgerRepository extends Repository {
  constructor(pool: Pool) {
    super(pool);
  }

  async balance(account: string): Promise<number> {
    const [row] = await this.query<{ total: string | null }>(
      'SELECT sum(amount_cents) AS total FROM postings WHERE account = $1',
      [account],
    );
    return Number(row?.total ?? 0);
  }

  async record(description: string, postings: Posting[]): Promise<number> {
    const sum = postings.reduce((s, p) => s + p.amountCents, 0);
    if (postings.length < 2 || sum !== 0) {
      throw new UnbalancedEntry(`entry "${description}" does not balance (${sum})`);
    }
    return this.withTransaction(async (client) => {
      const entry = await client.query<{ id: number }>(
        'INSERT INTO entries (description) VALUES ($1) RETURNING id',
        [description],
      );
      const entryId = entry.rows[0].id;
      for (const p of postings) {
        await client.query('INSERT INTO postings (entry_id, account, amount_cents) VALUES ($1, $2, $3)', [
          entryId,
          p.account,
          p.amountCents,
        ]);
      }
      return entryId;
    });
  }

  async transfer(from: string, to: string, amountCents: number, memo: string): Promise<number> {
    if (amountCents <= 0) throw new RangeError('transfer amount must be positive');
    return this.record(memo, [
      { account: from, amountCents: -amountCents },
      { account: to, amountCents },
    ]);
  }
}
