import { describe, expect, it } from 'vitest';
import { Checkout, type OrderStore } from '../payments/checkout';
import type { ChargeRequest, ChargeResult, PaymentGateway } from '../payments/gateway';

/** Answers from a script instead of calling Adyen, so each test picks the PSP's behaviour. */
class ScriptedGateway implements PaymentGateway {
  readonly calls: ChargeRequest[] = [];
  constructor(private readonly script: ChargeResult[]) {}

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    this.calls.push(request);
    return this.script.shift() ?? { outcome: 'authorised', pspReference: 'PSP-DEFAULT' };
  }
}

class MemoryOrders implements OrderStore {
  readonly paid = new Map<string, string>();
  readonly failed = new Map<string, string>();
  async markPaid(orderId: string, ref: string) {
    this.paid.set(orderId, ref);
  }
  async markFailed(orderId: string, reason: string) {
    this.failed.set(orderId, reason);
  }
}

const request: ChargeRequest = {
  orderId: 'ord_1',
  amountCents: 4_999,
  currency: 'EUR',
  paymentMethodToken: 'tok_visa',
};

describe('Checkout', () => {
  it('retries a retryable error and records the authorisation', async () => {
    const gateway = new ScriptedGateway([
      { outcome: 'error', retryable: true, message: 'timeout' },
      { outcome: 'authorised', pspReference: 'PSP-42' },
    ]);
    const orders = new MemoryOrders();
    const result = await new Checkout(gateway, orders).pay(request);
    expect(result).toEqual({ outcome: 'authorised', pspReference: 'PSP-42' });
    expect(gateway.calls).toHaveLength(2);
    expect(orders.paid.get('ord_1')).toBe('PSP-42');
  });

  it('does not retry a refusal', async () => {
    const gateway = new ScriptedGateway([{ outcome: 'refused', reason: 'insufficient funds' }]);
    const orders = new MemoryOrders();
    await new Checkout(gateway, orders).pay(request);
    expect(gateway.calls).toHaveLength(1);
    expect(orders.failed.get('ord_1')).toBe('insufficient funds');
  });

  it('gives up after the last attempt', async () => {
    const down: ChargeResult = { outcome: 'error', retryable: true, message: 'PSP unavailable' };
    const gateway = new ScriptedGateway([down, down, down, down]);
    const orders = new MemoryOrders();
    const result = await new Checkout(gateway, orders, 3).pay(request);
    expect(result.outcome).toBe('error');
    expect(gateway.calls).toHaveLength(3);
  });
});
