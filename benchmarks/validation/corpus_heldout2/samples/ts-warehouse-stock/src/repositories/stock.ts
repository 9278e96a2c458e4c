import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { BaseRepository } from './base.js';

interface StockRow extends RowDataPacket {
  sku: string;
  warehouse: string;
  on_hand: number;
  reserved: number;
}

interface ReservationRow extends RowDataPacket {
  id: number;
  order_id: string;
  sku: string;
  warehouse: string;
  quantity: number;
  expires_at: Date;
}

export interface ReservationRequest {
  orderId: string;
  lines: { sku: string; quantity: number }[];
  warehouse: string;
  holdMinutes?: number;
}

export class InsufficientStock extends Error {
  constructor(
    readonly sku: string,
    readonly wanted: number,
    readonly available: number,
  ) {
    super(`not enough ${sku}: wanted ${wanted}, available ${available}`);
  }
}

export class StockRepository extends BaseRepository {
  constructor(pool: Pool) {
    super(pool);
  }

  async available(sku: string, warehouse: string): Promise<number> {
    const row = await this.one<StockRow>(
      'SELECT sku, warehouse, on_hand, reserved FROM stock WHERE sku = ? AND warehouse = ?',
      [sku, warehouse],
    );
    return row ? row.on_hand - row.reserved : 0;
  }

  async levels(warehouse: string): Promise<Map<string, { onHand: number; reserved: number }>> {
    const rows = await this.rows<StockRow>(
      'SELECT sku, warehouse, on_hand, reserved FROM stock WHERE warehouse = ? ORDER BY sku',
      [warehouse],
    );
    return new Map(rows.map((r) => [r.sku, { onHand: r.on_hand, reserved: r.reserved }]));
  }

  /** Reserves every line or none: the rows are locked in a fixed order to avoid deadlocks. */
  async reserve(request: ReservationRequest): Promise<number[]> {
    const lines = [...request.lines].sort((a, b) => a.sku.localeCompare(b.sku));
    const holdMinutes = request.holdMinutes ?? 15;

    return this.withTransaction(async (conn: PoolConnection) => {
      const ids: number[] = [];
      for (const line of lines) {
        if (!Number.isInteger(line.quantity) || line.quantity <= 0) {
          throw new RangeError(`quantity for ${line.sku} must be a positive integer`);
        }
        const [locked] = await conn.query<StockRow[]>(
          'SELECT sku, warehouse, on_hand, reserved FROM stock WHERE sku = ? AND warehouse = ? FOR UPDATE',
          [line.sku, request.warehouse],
        );
        const row = locked[0];
        const available = row ? row.on_hand - row.reserved : 0;
        if (available < line.quantity) {
          throw new InsufficientStock(line.sku, line.quantity, available);
        }
        await this.exec(
          'UPDATE stock SET reserved = reserved + ? WHERE sku = ? AND warehouse = ?',
          [line.quantity, line.sku, request.warehouse],
          conn,
        );
        const result = await this.exec(
          `INSERT INTO reservations (order_id, sku, warehouse, quantity, expires_at)
           VALUES (?, ?, ?, ?, NOW() + INTERVAL ? MINUTE)`,
          [request.orderId, line.sku, request.warehouse, line.quantity, holdMinutes],
          conn,
        );
        ids.push(result.insertId);
      }
      return ids;
    });
  }

  async release(orderId: string): Promise<number> {
    const held = await this.rows<ReservationRow>(
      'SELECT id, order_id, sku, warehouse, quantity, expires_at FROM reservations WHERE order_id = ?',
      [orderId],
    );
    for (const r of held) {
      await this.exec('UPDATE stock SET reserved = GREATEST(reserved - ?, 0) WHERE sku = ? AND warehouse = ?', [
        r.quantity,
        r.sku,
        r.warehouse,
      ]);
    }
    const result = await this.exec('DELETE FROM reservations WHERE order_id = ?', [orderId]);
    return result.affectedRows;
  }

  async expired(now: Date = new Date()): Promise<string[]> {
    const rows = await this.rows<ReservationRow>(
      'SELECT DISTINCT order_id FROM reservations WHERE expires_at < ?',
      [now],
    );
    return rows.map((r) => r.order_id);
  }
}
