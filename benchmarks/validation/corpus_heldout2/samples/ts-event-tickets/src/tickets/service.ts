import { randomUUID } from 'node:crypto';
import QRCode from 'qrcode';
import type { PaymentProvider } from '../payments/provider';

export interface Event {
  id: string;
  name: string;
  capacity: number;
  priceCents: number;
  currency: string;
  startsAt: Date;
}

export interface Ticket {
  id: string;
  eventId: string;
  holder: string;
  paymentId: string;
  qrDataUrl: string;
}

export class SoldOut extends Error {}

export class TicketService {
  private readonly sold = new Map<string, Ticket[]>();

  constructor(
    private readonly events: Map<string, Event>,
    private readonly payments: PaymentProvider,
  ) {}

  remaining(eventId: string): number {
    const event = this.events.get(eventId);
    if (!event) return 0;
    return event.capacity - (this.sold.get(eventId)?.length ?? 0);
  }

  async buy(eventId: string, holder: string, quantity: number, cardToken: string): Promise<Ticket[]> {
    const event = this.events.get(eventId);
    if (!event) throw new RangeError(`unknown event ${eventId}`);
    if (event.startsAt.getTime() < Date.now()) throw new RangeError('the event has already started');
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > 10) {
      throw new RangeError('quantity must be between 1 and 10');
    }
    if (this.remaining(eventId) < quantity) throw new SoldOut(`only ${this.remaining(eventId)} left`);

    const reference = randomUUID();
    const intent = await this.payments.createIntent(event.priceCents * quantity, event.currency, reference);
    const paid = await this.payments.confirm(intent.id, cardToken);
    if (paid.status !== 'succeeded') throw new Error(`payment ${paid.id} ${paid.status}`);

    const tickets: Ticket[] = [];
    for (let i = 0; i < quantity; i += 1) {
      const id = randomUUID();
      tickets.push({
        id,
        eventId,
        holder,
        paymentId: paid.id,
        qrDataUrl: await QRCode.toDataURL(`ticket:${id}`),
      });
    }
    this.sold.set(eventId, [...(this.sold.get(eventId) ?? []), ...tickets]);
    return tickets;
  }
}
