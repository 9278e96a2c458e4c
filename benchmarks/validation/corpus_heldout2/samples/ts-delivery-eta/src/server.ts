import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { z } from 'zod';
import { MapboxGeocoder } from './geo/geocoder';
import { etaMinutes } from './eta';

const DEPOT = { lat: 52.4862, lon: 13.4255 };
const geocoder = new MapboxGeocoder(process.env.MAPBOX_TOKEN ?? '');

const EtaRequest = z.object({
  address: z.string().min(5).max(300),
  country: z.string().length(2).default('DE'),
  vehicle: z.enum(['bike', 'van']).default('bike'),
  stopsBefore: z.number().int().min(0).max(40).default(0),
});

const app = new Hono();

app.post('/eta', async (c) => {
  const parsed = EtaRequest.safeParse(await c.req.json().catch(() => null));
  if (!parsed.success) {
    return c.json({ error: 'invalid request', issues: parsed.error.issues }, 400);
  }
  const { address, country, vehicle, stopsBefore } = parsed.data;
  const place = await geocoder.geocode(address, country);
  if (!place || place.confidence < 0.5) {
    return c.json({ error: 'address not found' }, 422);
  }
  return c.json({
    address: place.formatted,
    vehicle,
    minutes: etaMinutes(DEPOT, place, vehicle, stopsBefore),
  });
});

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 8787) });
