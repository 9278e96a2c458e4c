'use strict';

const EARTH_RADIUS_KM = 6371.0088;

const toRad = (deg) => (deg * Math.PI) / 180;

// Renamed from `distance` in 2.0: the old name did not say which metric.
function haversineKm(a, b) {
  const dLat = toRad(b.lat - a.lat);
  const dLon = toRad(b.lon - a.lon);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(toRad(a.lat)) * Math.cos(toRad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(h));
}

function nearest(origin, places, limit = 5) {
  return places
    .map((p) => ({ ...p, km: haversineKm(origin, p) }))
    .sort((x, y) => x.km - y.km)
    .slice(0, limit);
}

function parsePoint(query) {
  const lat = Number(query.lat);
  const lon = Number(query.lon);
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) return null;
  if (!Number.isFinite(lon) || lon < -180 || lon > 180) return null;
  return { lat, lon };
}

/** @deprecated since 2.0, use haversineKm; kept for plugins built against 1.x. */
const distance = haversineKm;

module.exports = { haversineKm, distance, nearest, parsePoint, EARTH_RADIUS_KM };
