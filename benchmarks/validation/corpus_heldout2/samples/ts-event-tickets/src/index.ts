import express from 'express';
import { MockPaymentProvider } from './payments/provider';
import { SoldOut, TicketService, type Event } from './tickets/service';

const events = new Map<string, Event>([
  ['jazz-night', {
    id: 'jazz-night', name: 'Jazz Night', capacity: 180, priceCents: 2500, currency: 'EUR',
    startsAt: new Date('2025-06-14T19:30:00+02:00'),
  }],
]);

const service = new TicketService(events, new MockPaymentProvider());
const app = express();
app.use(express.json());

app.post('/events/:id/tickets', async (req, res) => {
  const { holder, quantity, cardToken } = req.body ?? {};
  if (typeof holder !== 'string' || typeof cardToken !== 'string') {
    res.status(400).json({ error: 'holder and cardToken are required' });
    return;
  }
  try {
    const tickets = await service.buy(req.params.id, holder, Number(quantity ?? 1), cardToken);
    res.status(201).json(tickets.map(({ id, qrDataUrl }) => ({ id, qrDataUrl })));
  } catch (err) {
    if (err instanceof SoldOut) res.status(409).json({ error: err.message });
    else if (err instanceof RangeError) res.status(422).json({ error: err.message });
    else throw err;
  }
});

app.listen(Number(process.env.PORT ?? 3000));
