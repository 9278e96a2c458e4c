export function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const bucket = groups.get(k);
    if (bucket) {
      bucket.push(row);
    } else {
      groups.set(k, [row]);
    }
  }
  return groups;
}

export function formatDate(value: Date | string | number): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(`not a date: ${String(value)}`);
  }
  return date.toISOString().slice(0, 10);
}


export interface Charge {
  id: string;
  status: 'succeeded' | 'failed';
  amount: number;
}

export class PaymentService {
  constructor(
    private readonly apiKey: string,
    private readonly baseUrl: string,
  ) {}

  async createCharge(registrationId: string, amount: number): Promise<Charge> {
    if (amount <= 0) {
      throw new RangeError('amount must be positive');
    }
    const response = await fetch(`${this.baseUrl}/charges`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reference: registrationId, amount }),
    });
    if (!response.ok) {
      throw new Error(`payment provider answered ${response.status}`);
    }
    return (await response.json()) as Charge;
  }
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError('size must be a positive integer');
  }
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

