import { describe, expect, it } from 'vitest';
import {
  circleBounds,
  DEFAULT_RADIUS_M,
  GEO_CELLS_PER_DEGREE,
  geoCells,
  haversineMetres,
  MAX_RADIUS_M,
  parseGeoFilter,
  type Box,
} from './geo.ts';

const inside = (boxes: Box[], lat: number, lon: number) =>
  boxes.some((b) => lat >= b.minLat && lat <= b.maxLat && lon >= b.minLon && lon <= b.maxLon);

describe('haversineMetres', () => {
  it.each([
    // One degree of latitude ≈ 111.2 km; one degree of longitude on the equator likewise.
    [0, 0, 1, 0, 111_195],
    [0, 0, 0, 1, 111_195],
    // Balikpapan → Samarinda ≈ 92 km (equirectangular cross-check: 84.9 km N, 35.8 km E).
    [-1.2654, 116.8312, -0.5022, 117.1536, 92_120],
    [-1.2654, 116.8312, -1.2654, 116.8312, 0],
  ])('(%f, %f) → (%f, %f) ≈ %i m', (a, b, c, d, metres) => {
    expect(Math.abs(haversineMetres(a, b, c, d) - metres)).toBeLessThan(Math.max(1, metres * 0.005));
  });
});

describe('circleBounds', () => {
  it('contains every point of the circle, also across the antimeridian and near the poles', () => {
    const cases = [
      { lat: -1.2654, lon: 116.8312, radius: 1000 },
      { lat: 60, lon: 10, radius: 100_000 },
      { lat: 0, lon: 179.9999, radius: 5000 },
      { lat: 0, lon: -179.9999, radius: 5000 },
      { lat: 89.9999, lon: 0, radius: 1000 },
    ];
    for (const c of cases) {
      const boxes = circleBounds(c);
      for (let bearing = 0; bearing < 360; bearing += 5) {
        // A point just inside the circle at this bearing (destination-point formula).
        const d = (c.radius * 0.999) / 6_371_008.8;
        const φ1 = (c.lat * Math.PI) / 180;
        const θ = (bearing * Math.PI) / 180;
        const φ2 = Math.asin(Math.sin(φ1) * Math.cos(d) + Math.cos(φ1) * Math.sin(d) * Math.cos(θ));
        const λ2 =
          (c.lon * Math.PI) / 180 +
          Math.atan2(Math.sin(θ) * Math.sin(d) * Math.cos(φ1), Math.cos(d) - Math.sin(φ1) * Math.sin(φ2));
        const lat = (φ2 * 180) / Math.PI;
        const lon = (((λ2 * 180) / Math.PI + 540) % 360) - 180;
        expect(haversineMetres(c.lat, c.lon, lat, lon)).toBeLessThanOrEqual(c.radius);
        expect(inside(boxes, lat, lon), `${JSON.stringify(c)} bearing ${bearing}`).toBe(true);
      }
    }
  });

  it('splits at the antimeridian and is unbounded in longitude at a pole', () => {
    expect(circleBounds({ lat: 0, lon: 179.9999, radius: 5000 })).toHaveLength(2);
    expect(circleBounds({ lat: 89.9999, lon: 0, radius: 1000 })[0]).toMatchObject({
      minLon: -180,
      maxLon: 180,
    });
    const [b] = circleBounds({ lat: -1.2654, lon: 116.8312, radius: 1000 });
    // About ±0.009° both ways for 1 km near the equator: narrow enough for an index range.
    expect(b!.maxLat - b!.minLat).toBeCloseTo(0.018, 3);
    expect(b!.maxLon - b!.minLon).toBeCloseTo(0.018, 3);
  });
});

describe('geoCells', () => {
  const cellOf = (lat: number, lon: number) => ({
    lat: Math.floor(lat * GEO_CELLS_PER_DEGREE),
    lon: Math.floor(lon * GEO_CELLS_PER_DEGREE),
  });

  it('covers every point of the area with few cells, the smaller of bbox and circle', () => {
    const circle = { lat: -0.45, lon: 117.15, radius: 500 };
    const cells = geoCells({ circle })!;
    expect(cells).toHaveLength(4); // ±0.0045° around a cell corner
    const [b] = circleBounds(circle);
    for (let i = 0; i <= 20; i++)
      for (let j = 0; j <= 20; j++) {
        const lat = b!.minLat + ((b!.maxLat - b!.minLat) * i) / 20;
        const lon = b!.minLon + ((b!.maxLon - b!.minLon) * j) / 20;
        expect(cells).toContainEqual(cellOf(lat, lon));
      }
    const bbox = { minLat: -0.4498, maxLat: -0.4496, minLon: 117.1501, maxLon: 117.1502 };
    expect(geoCells({ bbox, circle })).toEqual([cellOf(-0.4497, 117.1501)]);
  });

  it('returns null beyond the cell limit, and splits at the antimeridian', () => {
    expect(geoCells({ circle: { lat: -6.2, lon: 106.8, radius: 10_000 } })).toBeNull();
    expect(geoCells({ circle: { lat: 89.9999, lon: 0, radius: 1000 } })).toBeNull();
    const east = geoCells({ circle: { lat: 0.005, lon: 179.9999, radius: 300 } })!;
    expect(east).toContainEqual(cellOf(0.005, 179.9999));
    expect(east).toContainEqual(cellOf(0.005, -179.999));
  });
});

describe('parseGeoFilter', () => {
  it('parses a bbox (min_long,min_lat,max_long,max_lat) and a circle, with the default radius', () => {
    expect(parseGeoFilter({ bbox: '116.8,-1.3,116.9,-1.2' })).toEqual({
      filter: { bbox: { minLon: 116.8, minLat: -1.3, maxLon: 116.9, maxLat: -1.2 } },
      issues: {},
    });
    expect(parseGeoFilter({ lat: '-1.2654', long: '116.8312' }).filter.circle).toEqual({
      lat: -1.2654,
      lon: 116.8312,
      radius: DEFAULT_RADIUS_M,
    });
    expect(parseGeoFilter({ lat: '-1', long: '116', radius: '250.5' }).filter.circle?.radius).toBe(250.5);
    expect(parseGeoFilter({})).toEqual({ filter: {}, issues: {} });
  });

  it.each([
    [{ bbox: '1,2,3' }, 'bbox', 'bbox_format'],
    [{ bbox: '1,2,3,4,5' }, 'bbox', 'bbox_format'],
    [{ bbox: 'a,b,c,d' }, 'bbox', 'bbox_format'],
    [{ bbox: '117,-1,116,0' }, 'bbox', 'bbox_format'],
    [{ bbox: '116,0,117,-1' }, 'bbox', 'bbox_format'],
    [{ bbox: '116,-95,117,0' }, 'bbox', 'bbox_format'],
    [{ bbox: '-181,0,117,1' }, 'bbox', 'bbox_format'],
    [{ bbox: '1e999,0,2,1' }, 'bbox', 'bbox_format'],
    [{ lat: '-1' }, 'long', 'lat_long_pair'],
    [{ long: '116' }, 'lat', 'lat_long_pair'],
    [{ lat: 'abc', long: '116' }, 'lat', 'invalid_type'],
    [{ lat: '0x10', long: '116' }, 'lat', 'invalid_type'],
    [{ lat: 'Infinity', long: '116' }, 'lat', 'invalid_type'],
    [{ lat: '-91', long: '116' }, 'lat', 'too_small'],
    [{ lat: '0', long: '180.5' }, 'long', 'too_big'],
    [{ lat: '0', long: '116', radius: '0' }, 'radius', 'too_small'],
    [{ lat: '0', long: '116', radius: '-5' }, 'radius', 'too_small'],
    [{ lat: '0', long: '116', radius: String(MAX_RADIUS_M + 1) }, 'radius', 'too_big'],
    [{ lat: '0', long: '116', radius: '1km' }, 'radius', 'invalid_type'],
    [{ radius: '500' }, 'radius', 'radius_needs_point'],
  ])('%j → %s: %s', (input, field, key) => {
    const r = parseGeoFilter(input);
    expect(r.issues[field]?.key).toBe(key);
    expect(r.filter.circle).toBeUndefined();
  });
});
