import type { FastifyInstance } from 'fastify';
import { fromJson, toJson, type VehicleJson } from '../model';
import type { VehicleStore } from '../store';

export async function vehicleRoutes(app: FastifyInstance, store: VehicleStore): Promise<void> {
  app.get<{ Params: { id: string } }>('/vehicles/:id', async (req, reply) => {
    const v = store.get(req.params.id);
    if (!v) return reply.code(404).send({ error: 'unknown vehicle' });
    return toJson(v);
  });

  app.get<{ Querystring: { driver_id?: string } }>('/vehicles', async (req) => {
    const operator = req.query.driver_id;
    return operator ? store.assignedTo(operator).map(toJson) : [];
  });

  app.put<{ Body: VehicleJson }>('/vehicles', async (req, reply) => {
    store.upsert(fromJson(req.body));
    return reply.code(204).send();
  });

  app.post<{ Params: { id: string }; Body: { driver_id: string | null } }>(
    '/vehicles/:id/assignment',
    async (req, reply) => {
      const v = store.assign(req.params.id, req.body.driver_id);
      if (!v) return reply.code(404).send({ error: 'unknown vehicle' });
      return toJson(v);
    },
  );
}
