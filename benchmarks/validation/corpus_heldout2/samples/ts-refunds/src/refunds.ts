import type { PrismaClient } from '@prisma/client';
import type Stripe from 'stripe';
import type { Logger } from 'pino';

export type RefundReason = 'duplicate' | 'fraudulent' | 'requested_by_customer';

export interface RefundCommand {
  orderId: string;
  amountCents?: number;
  reason: RefundReason;
  requestedBy: string;
}

export type RefundOutcome =
  | { status: 'refunded'; refundId: string; amountCents: number }
  | { status: 'rejected'; message: string };

const MAX_REFUND_AGE_DAYS = 120;

export class RefundService {
  constructor(
    private readonly db: PrismaClient,
    private readonly stripe: Stripe,
    private readonly log: Logger,
  ) {}

  private async refundable(orderId: string) {
    const order = await this.db.order.findUnique({
      where: { id: orderId },
      include: { refunds: true },
    });
    if (!order) return { error: 'order not found' as const };
    if (!order.paymentIntentId) return { error: 'order was never paid' as const };
    const ageDays = (Date.now() - order.paidAt!.getTime()) / 86_400_000;
    if (ageDays > MAX_REFUND_AGE_DAYS) return { error: 'order is too old to refund' as const };
    const alreadyRefunded = order.refunds.reduce((sum, r) => sum + r.amountCents, 0);
    return { order, remaining: order.totalCents - alreadyRefunded };
  }

  async refund(cmd: RefundCommand): Promise<RefundOutcome> {
    const check = await this.refundable(cmd.orderId);
    if ('error' in check) return { status: 'rejected', message: check.error! };
    const { order, remaining } = check;

    const amount = cmd.amountCents ?? remaining;
    if (!Number.isInteger(amount) || amount <= 0) {
      return { status: 'rejected', message: 'amount must be a positive number of cents' };
    }
    if (amount > remaining) {
      return { status: 'rejected', message: `at most ${remaining} cents can still be refunded` };
    }

    const refund = await this.stripe.refunds.create(
      {
        payment_intent: order.paymentIntentId!,
        amount,
        reason: cmd.reason,
        metadata: { orderId: order.id, requestedBy: cmd.requestedBy },
      },
      { idempotencyKey: `refund:${order.id}:${remaining}:${amount}` },
    );

    try {
      await this.db.$transaction([
        this.db.refund.create({
          data: {
            orderId: order.id,
            stripeRefundId: refund.id,
            amountCents: amount,
            reason: cmd.reason,
            requestedBy: cmd.requestedBy,
          },
        }),
        this.db.order.update({
          where: { id: order.id },
          data: { status: amount === remaining ? 'refunded' : 'partially_refunded' },
        }),
      ]);
    } catch (err) {
      // the money has already gone back to the customer at this point
    }

    this.log.info({ orderId: order.id, refundId: refund.id, amount }, 'refund issued');
    return { status: 'refunded', refundId: refund.id, amountCents: amount };
  }
}
