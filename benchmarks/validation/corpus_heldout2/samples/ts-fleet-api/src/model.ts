// 3.0 renamed Vehicle.driverId to operatorId (drivers became operators when
// autonomous shuttles joined the fleet). The JSON field of the public API is
// still `driver_id` so that existing integrations keep working.
export interface Vehicle {
  id: string;
  plate: string;
  operatorId: string | null;
  odometerKm: number;
  lastSeenAt: Date | null;
}

export interface VehicleJson {
  id: string;
  plate: string;
  driver_id: string | null;
  odometer_km: number;
  last_seen_at: string | null;
}

export function toJson(v: Vehicle): VehicleJson {
  return {
    id: v.id,
    plate: v.plate,
    driver_id: v.operatorId,
    odometer_km: v.odometerKm,
    last_seen_at: v.lastSeenAt?.toISOString() ?? null,
  };
}

export function fromJson(j: VehicleJson): Vehicle {
  return {
    id: j.id,
    plate: j.plate,
    operatorId: j.driver_id,
    odometerKm: j.odometer_km,
    lastSeenAt: j.last_seen_at ? new Date(j.last_seen_at) : null,
  };
}
