export const PLAN_PRICES_CENTS = {
  starter: 900,
  team: 2900,
  business: 9900,
} as const;

export type Plan = keyof typeof PLAN_PRICES_CENTS;

export function isPlan(value: string): value is Plan {
  return Object.prototype.hasOwnProperty.call(PLAN_PRICES_CENTS, value);
}

export function monthlyCents(plan: Plan, seats: number): number {
  return PLAN_PRICES_CENTS[plan] * Math.max(1, seats);
}
