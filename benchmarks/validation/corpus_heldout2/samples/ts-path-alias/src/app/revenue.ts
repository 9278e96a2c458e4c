import { eq, gt } from 'drizzle-orm';
import { db, subscriptions } from '@/lib/db';
import { isPlan, monthlyCents } from '@billing/prices';

export async function monthlyRecurringRevenue(now = new Date()): Promise<number> {
  const active = await db.select().from(subscriptions).where(gt(subscriptions.renewsAt, now));
  return active.reduce((sum, s) => (isPlan(s.plan) ? sum + monthlyCents(s.plan, s.seats) : sum), 0);
}

export async function revenueOf(accountId: number): Promise<number> {
  const rows = await db.select().from(subscriptions).where(eq(subscriptions.accountId, accountId));
  return rows.reduce((sum, s) => (isPlan(s.plan) ? sum + monthlyCents(s.plan, s.seats) : sum), 0);
}
