export interface ChargeRequest {
  orderId: string;
  amountCents: number;
  currency: string;
  paymentMethodToken: string;
}

export type ChargeResult =
  | { outcome: 'authorised'; pspReference: string }
  | { outcome: 'refused'; reason: string }
  | { outcome: 'error'; retryable: boolean; message: string };

export interface PaymentGateway {
  charge(request: ChargeRequest): Promise<ChargeResult>;
}
