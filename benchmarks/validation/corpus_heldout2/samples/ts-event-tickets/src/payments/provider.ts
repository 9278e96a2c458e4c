export interface PaymentIntent {
  id: string;
  amountCents: number;
  currency: string;
  status: 'requires_payment' | 'succeeded' | 'failed';
}

export interface PaymentProvider {
  createIntent(amountCents: number, currency: string, reference: string): Promise<PaymentIntent>;
  confirm(intentId: string, cardToken: string): Promise<PaymentIntent>;
}

export class MockPaymentProvider implements PaymentProvider {
  private readonly intents = new Map<string, PaymentIntent>();

  async createIntent(amountCents: number, currency: string, reference: string): Promise<PaymentIntent> {
    const intent: PaymentIntent = {
      id: `pi_${reference}_${Date.now()}`,
      amountCents,
      currency,
      status: 'requires_payment',
    };
    this.intents.set(intent.id, intent);
    return intent;
  }

  async confirm(intentId: string, _cardToken: string): Promise<PaymentIntent> {
    const intent = this.intents.get(intentId);
    if (!intent) throw new Error(`unknown payment intent ${intentId}`);
    const done = { ...intent, status: 'succeeded' as const };
    this.intents.set(intentId, done);
    return done;
  }
}
