import type { Pool, PoolClient, QueryResultRow } from 'pg';

export abstract class Repository {
  protected constructor(protected readonly pool: Pool) {}

  protected async query<R extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    const result = await this.pool.query<R>(sql, params);
    return result.rows;
  }

  /** Runs `work` in one transaction at SERIALIZABLE, retrying serialization failures. */
  protected async withTransaction<T>(work: (client: PoolClient) => Promise<T>, attempts = 3): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
        const value = await work(client);
        await client.query('COMMIT');
        return value;
      } catch (err) {
        await client.query('ROLLBACK');
        const retryable = (err as { code?: string }).code === '40001';
        if (!retryable || attempt >= attempts) throw err;
      } finally {
        client.release();
      }
    }
  }
}
