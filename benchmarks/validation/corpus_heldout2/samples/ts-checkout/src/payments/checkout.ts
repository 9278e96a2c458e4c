import type { ChargeRequest, ChargeResult, PaymentGateway } from './gateway';

export interface OrderStore {
  markPaid(orderId: string, pspReference: string): Promise<void>;
  markFailed(orderId: string, reason: string): Promise<void>;
}

export class Checkout {
  constructor(
    private readonly gateway: PaymentGateway,
    private readonly orders: OrderStore,
    private readonly maxAttempts = 3,
  ) {}

  async pay(request: ChargeRequest): Promise<ChargeResult> {
    let result: ChargeResult = { outcome: 'error', retryable: true, message: 'not attempted' };
    for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
      result = await this.gateway.charge(request);
      if (result.outcome !== 'error' || !result.retryable) break;
    }
    switch (result.outcome) {
      case 'authorised':
        await this.orders.markPaid(request.orderId, result.pspReference);
        break;
      case 'refused':
        await this.orders.markFailed(request.orderId, result.reason);
        break;
      case 'error':
        await this.orders.markFailed(request.orderId, result.message);
        break;
    }
    return result;
  }
}
