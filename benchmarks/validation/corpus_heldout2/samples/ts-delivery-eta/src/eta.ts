import type { Coordinates } from './geo/geocoder';

const AVERAGE_KMH = { bike: 16, van: 28 } as const;
const STOP_MINUTES = 4;

export type Vehicle = keyof typeof AVERAGE_KMH;

function kmBetween(a: Coordinates, b: Coordinates): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  // City streets are not straight lines: 1.3 is the usual detour factor.
  return 1.3 * 12742 * Math.asin(Math.sqrt(h));
}

export function etaMinutes(from: Coordinates, to: Coordinates, vehicle: Vehicle, stopsBefore: number): number {
  const driving = (kmBetween(from, to) / AVERAGE_KMH[vehicle]) * 60;
  return Math.ceil(driving + stopsBefore * STOP_MINUTES);
}
