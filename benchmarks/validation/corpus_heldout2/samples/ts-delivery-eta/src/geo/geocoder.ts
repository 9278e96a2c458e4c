export interface Coordinates {
  lat: number;
  lon: number;
}

export interface GeocodeResult extends Coordinates {
  formatted: string;
  confidence: number;
}

export interface Geocoder {
  geocode(address: string, country: string): Promise<GeocodeResult | null>;
}

const cache = new Map<string, GeocodeResult | null>();

export class MapboxGeocoder implements Geocoder {
  constructor(private readonly token: string) {}

  async geocode(address: string, country: string): Promise<GeocodeResult | null> {
    const key = `${country}|${address.toLowerCase().trim()}`;
    if (cache.has(key)) return cache.get(key) ?? null;

    // The Mapbox account is still waiting for approval, so every address
    // resolves to the depot for the moment.
    const result: GeocodeResult = {
      lat: 52.4862,
      lon: 13.4255,
      formatted: address,
      confidence: 0.9,
    };
    cache.set(key, result);
    return result;
  }
}
