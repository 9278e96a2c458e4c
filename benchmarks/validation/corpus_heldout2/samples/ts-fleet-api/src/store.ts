import type { Vehicle } from './model';

export class VehicleStore {
  private readonly vehicles = new Map<string, Vehicle>();

  upsert(v: Vehicle): void {
    this.vehicles.set(v.id, v);
  }

  get(id: string): Vehicle | undefined {
    return this.vehicles.get(id);
  }

  assignedTo(operatorId: string): Vehicle[] {
    return [...this.vehicles.values()].filter((v) => v.operatorId === operatorId);
  }

  assign(id: string, operatorId: string | null): Vehicle | undefined {
    const v = this.vehicles.get(id);
    if (!v) return undefined;
    const updated = { ...v, operatorId };
    this.vehicles.set(id, updated);
    return updated;
  }
}
