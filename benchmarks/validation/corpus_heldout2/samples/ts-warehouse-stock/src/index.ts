import { createPool } from 'mysql2/promise';
import { StockRepository } from './repositories/stock.js';

const pool = createPool({ uri: process.env.DATABASE_URL, connectionLimit: 8 });
const stock = new StockRepository(pool);

async function sweepExpired(): Promise<void> {
  for (const orderId of await stock.expired()) {
    const released = await stock.release(orderId);
    console.log(`released ${released} expired reservation(s) of order ${orderId}`);
  }
}

setInterval(() => {
  sweepExpired().catch((err) => console.error('sweep failed', err));
}, 60_000);
