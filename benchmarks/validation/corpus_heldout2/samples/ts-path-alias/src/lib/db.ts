import { drizzle } from 'drizzle-orm/postgres-js';
import { pgTable, serial, text, integer, timestamp } from 'drizzle-orm/pg-core';
import postgres from 'postgres';

export const subscriptions = pgTable('subscriptions', {
  id: serial('id').primaryKey(),
  accountId: integer('account_id').notNull(),
  plan: text('plan').notNull(),
  seats: integer('seats').notNull().default(1),
  renewsAt: timestamp('renews_at').notNull(),
});

export const db = drizzle(postgres(process.env.DATABASE_URL ?? 'postgres://localhost/saas'));
