import type { Pool, PoolConnection, RowDataPacket, ResultSetHeader } from 'mysql2/promise';

export abstract class BaseRepository {
  protected constructor(protected readonly pool: Pool) {}

  protected async rows<T extends RowDataPacket>(sql: string, params: unknown[] = []): Promise<T[]> {
    const [rows] = await this.pool.query<T[]>(sql, params);
    return rows;
  }

  protected async one<T extends RowDataPacket>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    const rows = await this.rows<T>(sql, params);
    return rows[0];
  }

  protected async exec(sql: string, params: unknown[] = [], conn?: PoolConnection): Promise<ResultSetHeader> {
    const [result] = await (conn ?? this.pool).execute<ResultSetHeader>(sql, params);
    return result;
  }
}
