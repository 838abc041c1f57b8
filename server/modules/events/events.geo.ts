// Where a reported point lies: which grid's polygon holds it, and how far apart two points are.
import type { PolygonGeometry } from '../../../common/contracts/nodes.js';

type Ring = readonly (readonly number[])[];

/** Ray casting on one ring of [lng, lat] positions. */
function inRing(lng: number, lat: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Inside the outer ring and outside every hole, of any of the polygons. */
export function geometryContains(geometry: PolygonGeometry, lng: number, lat: number): boolean {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.some(
    (rings) =>
      rings.length > 0 &&
      inRing(lng, lat, rings[0]!) &&
      !rings.slice(1).some((hole) => inRing(lng, lat, hole)),
  );
}

/** The bounding box [minLng, minLat, maxLng, maxLat], to skip most polygons cheaply. */
export function boundingBox(geometry: PolygonGeometry): [number, number, number, number] {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const rings of polygons) {
    for (const [lng, lat] of rings[0] ?? [])
      box = [Math.min(box[0], lng), Math.min(box[1], lat), Math.max(box[2], lng), Math.max(box[3], lat)];
  }
  return box;
}

const EARTH_RADIUS_M = 6_371_008.8;
/** Great-circle distance in metres (haversine). */
export function distanceMeters(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLng = (lng2 - lng1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** A lat/lng box that holds every point within `meters` of a point (for an indexed prefilter). */
export function boxAround(
  lat: number,
  lng: number,
  meters: number,
): { lat: [number, number]; lng: [number, number] } {
  const dLat = (meters / EARTH_RADIUS_M) * (180 / Math.PI);
  const dLng = dLat / Math.max(0.01, Math.cos((lat * Math.PI) / 180));
  return { lat: [lat - dLat, lat + dLat], lng: [lng - dLng, lng + dLng] };
}
