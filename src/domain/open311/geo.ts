/**
 * Geographic filters of Open311 GET requests (docs/open311.md, "Geographic filters"): a `bbox`
 * (min_long,min_lat,max_long,max_lat, as Mark-a-Spot sends it) and a circle `lat`+`long`+`radius` (metres).
 * Pure: parsing with field issues, the bounding box of a circle (for the indexed range on reports.lat/lon)
 * and the haversine distance the SQL filter repeats exactly. No PostGIS, so PGlite works too.
 */

/** Mean Earth radius in metres (IUGG), used by the haversine formula here and in SQL. */
export const EARTH_RADIUS_M = 6_371_008.8;
/** Largest accepted `radius` in metres. */
export const MAX_RADIUS_M = 100_000;
/** `radius` when `lat`+`long` come without one. */
export const DEFAULT_RADIUS_M = 1_000;

/** A latitude/longitude rectangle in degrees (min ≤ max on both axes; it never crosses the antimeridian). */
export interface Box {
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
}

/** A circle: centre in degrees, radius in metres. */
export interface Circle {
  lat: number;
  lon: number;
  radius: number;
}

/** The geographic part of a GET requests query. */
export interface GeoFilter {
  bbox?: Box;
  circle?: Circle;
}

/** A field problem as a locale key under `errors.field` (the caller turns it into an AppError). */
export interface GeoIssue {
  key: string;
  params?: Record<string, string | number>;
}

const DEG = Math.PI / 180;

/** Distance in metres between two points (haversine on a sphere of EARTH_RADIUS_M). */
export function haversineMetres(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * DEG;
  const dLon = (lon2 - lon1) * DEG;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * DEG) * Math.cos(lat2 * DEG) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * The rectangles (one, or two across the antimeridian) that contain every point within the circle, so an
 * indexed range narrows the rows before the exact distance test. Near a pole the longitude is unbounded.
 */
export function circleBounds(c: Circle): Box[] {
  const angular = c.radius / EARTH_RADIUS_M;
  const dLat = angular / DEG;
  const minLat = Math.max(-90, c.lat - dLat);
  const maxLat = Math.min(90, c.lat + dLat);
  if (minLat <= -90 || maxLat >= 90) return [{ minLat, maxLat, minLon: -180, maxLon: 180 }];
  // Widest longitude span of the circle (the tangent points), exact on the sphere.
  const dLon = Math.asin(Math.min(1, Math.sin(angular) / Math.cos(c.lat * DEG))) / DEG;
  const minLon = c.lon - dLon;
  const maxLon = c.lon + dLon;
  if (dLon >= 180) return [{ minLat, maxLat, minLon: -180, maxLon: 180 }];
  if (minLon < -180)
    return [
      { minLat, maxLat, minLon: minLon + 360, maxLon: 180 },
      { minLat, maxLat, minLon: -180, maxLon },
    ];
  if (maxLon > 180)
    return [
      { minLat, maxLat, minLon, maxLon: 180 },
      { minLat, maxLat, minLon: -180, maxLon: maxLon - 360 },
    ];
  return [{ minLat, maxLat, minLon, maxLon }];
}

/**
 * Grid cells per degree of the geographic index (`reports_geo_cell_idx` on `floor(lat * 100)`,
 * `floor(lon * 100)`, created_at): 0.01°, about 1.1 km at the equator.
 */
export const GEO_CELLS_PER_DEGREE = 100;
/** Most cells one list reads cell by cell; larger areas use the plain (lat, lon) range instead. */
export const MAX_GEO_CELLS = 25;

/** A grid cell: `floor(lat * GEO_CELLS_PER_DEGREE)`, `floor(lon * GEO_CELLS_PER_DEGREE)`. */
export interface GeoCell {
  lat: number;
  lon: number;
}

/**
 * The grid cells that together contain every point of the filter's area (the bbox or the circle's bounding
 * boxes, whichever needs fewer cells), or null when that takes more than `max` cells. Multiplication by a
 * positive constant and floor are monotonic in IEEE doubles, in JavaScript and PostgreSQL alike, so a point
 * inside a box always lies in one of these cells.
 */
export function geoCells(g: GeoFilter, max = MAX_GEO_CELLS): GeoCell[] | null {
  const cellsOf = (boxes: Box[]): GeoCell[] | null => {
    const out: GeoCell[] = [];
    for (const b of boxes) {
      const lat0 = Math.floor(b.minLat * GEO_CELLS_PER_DEGREE);
      const lat1 = Math.floor(b.maxLat * GEO_CELLS_PER_DEGREE);
      const lon0 = Math.floor(b.minLon * GEO_CELLS_PER_DEGREE);
      const lon1 = Math.floor(b.maxLon * GEO_CELLS_PER_DEGREE);
      if ((lat1 - lat0 + 1) * (lon1 - lon0 + 1) + out.length > max) return null;
      for (let lat = lat0; lat <= lat1; lat++)
        for (let lon = lon0; lon <= lon1; lon++)
          if (!out.some((c) => c.lat === lat && c.lon === lon)) out.push({ lat, lon });
    }
    return out;
  };
  const options = [g.bbox ? cellsOf([g.bbox]) : null, g.circle ? cellsOf(circleBounds(g.circle)) : null];
  const found = options.filter((c): c is GeoCell[] => c !== null);
  if (found.length === 0) return null;
  return found.reduce((a, b) => (b.length < a.length ? b : a));
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A decimal number as Open311 coordinates are written (`-1.2654`, `116.83`, `1.2e1`), or undefined: never the hex,
 * binary or octal forms `Number` also reads (`0x74` is not a longitude). Used by the filters and by POST requests.
 */
export function decimalNumber(s: string): number | undefined {
  const t = s.trim();
  return NUMBER.test(t) ? Number(t) : undefined;
}

function coordinate(name: 'lat' | 'long', raw: string, issues: Record<string, GeoIssue>): number | undefined {
  const v = decimalNumber(raw);
  const max = name === 'lat' ? 90 : 180;
  if (v === undefined) issues[name] = { key: 'invalid_type' };
  else if (v < -max) issues[name] = { key: 'too_small', params: { min: -max } };
  else if (v > max) issues[name] = { key: 'too_big', params: { max } };
  else return v;
  return undefined;
}

/**
 * Parses `bbox`, `lat`, `long` and `radius` (absent or empty = not given). Returns the filter, or the field
 * issues of every malformed parameter.
 */
export function parseGeoFilter(p: {
  bbox?: string | undefined;
  lat?: string | undefined;
  long?: string | undefined;
  radius?: string | undefined;
}): { filter: GeoFilter; issues: Record<string, GeoIssue> } {
  const issues: Record<string, GeoIssue> = {};
  const filter: GeoFilter = {};
  if (p.bbox !== undefined) {
    const parts = p.bbox.split(',').map(decimalNumber);
    const [minLon, minLat, maxLon, maxLat] = parts;
    if (
      parts.length !== 4 ||
      minLon === undefined ||
      minLat === undefined ||
      maxLon === undefined ||
      maxLat === undefined ||
      Math.abs(minLon) > 180 ||
      Math.abs(maxLon) > 180 ||
      Math.abs(minLat) > 90 ||
      Math.abs(maxLat) > 90 ||
      minLon > maxLon ||
      minLat > maxLat
    )
      issues.bbox = { key: 'bbox_format' };
    else filter.bbox = { minLat, maxLat, minLon, maxLon };
  }
  const hasLat = p.lat !== undefined;
  const hasLong = p.long !== undefined;
  if (hasLat !== hasLong) issues[hasLat ? 'long' : 'lat'] = { key: 'lat_long_pair' };
  const lat = hasLat ? coordinate('lat', p.lat!, issues) : undefined;
  const lon = hasLong ? coordinate('long', p.long!, issues) : undefined;
  let radius = DEFAULT_RADIUS_M;
  if (p.radius !== undefined) {
    const r = decimalNumber(p.radius);
    if (!hasLat && !hasLong) issues.radius = { key: 'radius_needs_point' };
    else if (r === undefined) issues.radius = { key: 'invalid_type' };
    else if (r < 1) issues.radius = { key: 'too_small', params: { min: 1 } };
    else if (r > MAX_RADIUS_M) issues.radius = { key: 'too_big', params: { max: MAX_RADIUS_M } };
    else radius = r;
  }
  if (lat !== undefined && lon !== undefined && Object.keys(issues).length === 0)
    filter.circle = { lat, lon, radius };
  return { filter, issues };
}
