/**
 * Spherical geometry on Kusto's Earth model: a sphere of radius 6,371,010 m (S2's mean Earth radius) on
 * which every edge between two vertices is a geodesic (the shorter great-circle arc). Points are kept
 * as [lng, lat] degrees at the edges of the API and as unit vectors (S2Point style) for the math;
 * angles are radians, lengths on the Earth meters.
 */

export const EARTH_RADIUS_M = 6_371_010;
export const RAD = Math.PI / 180;
export const DEG = 180 / Math.PI;

export type Vec = [number, number, number];
export type LngLat = [number, number];

export function toVec([lng, lat]: LngLat): Vec {
  const l = lng * RAD, p = lat * RAD;
  return [Math.cos(p) * Math.cos(l), Math.cos(p) * Math.sin(l), Math.sin(p)];
}

/** Unit vector → [lng, lat] degrees; the poles get longitude 0 (atan2(0, 0)). */
export function toLngLat(v: Vec): LngLat {
  return [Math.atan2(v[1], v[0]) * DEG, Math.atan2(v[2], Math.sqrt(v[0] * v[0] + v[1] * v[1])) * DEG];
}

export const dot = (a: Vec, b: Vec): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const cross = (a: Vec, b: Vec): Vec => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
// Math.sqrt of the sum rather than Math.hypot: hypot is several times slower in V8 and unit-scale vectors need no overflow guard
export const norm = (a: Vec): number => Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
export const add = (a: Vec, b: Vec): Vec => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
export const sub = (a: Vec, b: Vec): Vec => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const scale = (a: Vec, k: number): Vec => [a[0] * k, a[1] * k, a[2] * k];
export function normalize(a: Vec): Vec {
  const n = norm(a);
  return n > 0 ? scale(a, 1 / n) : [0, 0, 0];
}

/** Angle between two unit vectors, accurate for tiny and near-antipodal angles (as S2's S1Angle). */
export const angle = (a: Vec, b: Vec): number => Math.atan2(norm(cross(a, b)), dot(a, b));

/** Central angle between two [lng, lat] points (haversine, accurate for small and large angles). */
export function centralAngle([lng1, lat1]: LngLat, [lng2, lat2]: LngLat): number {
  const h = Math.sin(((lat2 - lat1) * RAD) / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(((lng2 - lng1) * RAD) / 2) ** 2;
  return 2 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Initial bearing from a to b, clockwise from north, in [0, 2π). */
export function azimuth([lng1, lat1]: LngLat, [lng2, lat2]: LngLat): number {
  const p1 = lat1 * RAD, p2 = lat2 * RAD, dl = (lng2 - lng1) * RAD;
  const t = Math.atan2(Math.sin(dl) * Math.cos(p2), Math.cos(p1) * Math.sin(p2) - Math.sin(p1) * Math.cos(p2) * Math.cos(dl));
  return (t + 2 * Math.PI) % (2 * Math.PI);
}

/** The point a fraction t of the way along the geodesic a→b (spherical linear interpolation). */
export function interpolate(a: Vec, b: Vec, t: number): Vec {
  const theta = angle(a, b);
  if (theta < 1e-15) return a;
  // the unit tangent at a towards b, then rotate a by t·theta in the a–b plane
  const dir = normalize(sub(b, scale(a, dot(a, b))));
  return normalize(add(scale(a, Math.cos(t * theta)), scale(dir, Math.sin(t * theta))));
}

/**
 * The normal of the great circle through a and b as S2 computes it (RobustCrossProd): (b + a) × (b - a),
 * twice a × b, but with factors that stay nearly perpendicular when a and b are close, so its direction
 * loses less to rounding. Kusto's projections onto edges use it; the digits of their results follow it.
 */
export const robustCross = (a: Vec, b: Vec): Vec => cross(add(b, a), sub(b, a));

const chordAngle = (p: Vec, q: Vec): number => {
  const d = sub(p, q);
  return 2 * Math.asin(Math.min(1, 0.5 * Math.sqrt(dot(d, d))));
};

/**
 * Where p's projection falls on the geodesic edge a→b: the projected point when it lies inside the edge
 * (S2::Project), else null (an end is nearest).
 */
function projectInside(p: Vec, a: Vec, b: Vec): Vec | null {
  const n = robustCross(a, b);
  if (norm(n) <= 1e-15) return null;
  const q = sub(p, scale(n, dot(p, n) / dot(n, n)));
  // inside when q is on the inner side of both ends (S2's SimpleCCW(n, a, q) and SimpleCCW(q, b, n))
  if (dot(cross(q, n), a) > 0 && dot(cross(n, q), b) > 0 && norm(q) > 1e-15) return normalize(q);
  return null;
}

const squaredDistance = (p: Vec, q: Vec): number => {
  const d = sub(p, q);
  return dot(d, d);
};

/** The point of the geodesic edge a→b nearest to p (its projection when that falls inside the edge). */
export function closestOnEdge(p: Vec, a: Vec, b: Vec): Vec {
  return projectInside(p, a, b) ?? (squaredDistance(p, a) <= squaredDistance(p, b) ? a : b);
}

/**
 * Central angle from p to the geodesic edge a→b, as Kusto measures it: to the projection inside the edge
 * by the angle between the two points, to the nearer end by the chord (S2's S1ChordAngle), each the form
 * whose digits Kusto's results show.
 */
export function angleToEdge(p: Vec, a: Vec, b: Vec): number {
  const q = projectInside(p, a, b);
  return q ? angle(p, q) : Math.min(chordAngle(p, a), chordAngle(p, b));
}

/** Central angle from a [lng, lat] point to the geodesic edge a–b. */
export function angleToArc(p: LngLat, a: LngLat, b: LngLat): number {
  return angleToEdge(toVec(p), toVec(a), toVec(b));
}

/**
 * Where the geodesic edges a→b and c→d cross, or null when they do not. Touching at an end counts; edges
 * on the same great circle are handled by the caller (they overlap rather than cross).
 */
export function edgeCrossing(a: Vec, b: Vec, c: Vec, d: Vec): Vec | null {
  const n1 = cross(a, b), n2 = cross(c, d);
  if (norm(cross(n1, n2)) < 1e-20) return null;
  // the point as S2 computes it (S2::GetIntersection): the edges' unit normals from the robust cross
  // product, their robust cross product normalised, on the side of the edges' midpoints
  // edges that share an end meet there (S2 computes a crossing point only for edges that cross properly)
  for (const p of [a, b]) if (sameVec(p, c) || sameVec(p, d)) return p;
  const m1 = normalize(robustCross(a, b)), m2 = normalize(robustCross(c, d));
  let cand = normalize(robustCross(m1, m2));
  if (dot(cand, add(add(a, b), add(c, d))) < 0) cand = scale(cand, -1);
  // when rounding puts that point a hair outside an edge that ends on the other, the plain normals decide
  const plain = normalize(cross(n1, n2));
  for (const p of [cand, scale(cand, -1), plain, scale(plain, -1)]) {
    if (onEdge(p, a, b, n1) && onEdge(p, c, d, n2)) return p;
  }
  return null;
}

const sameVec = (p: Vec, q: Vec): boolean => p[0] === q[0] && p[1] === q[1] && p[2] === q[2];

/** Is p, a point of the great circle through a and b (normal n), between a and b? */
function onEdge(p: Vec, a: Vec, b: Vec, n: Vec): boolean {
  const eps = 1e-15;
  return dot(cross(a, p), n) >= -eps && dot(cross(p, b), n) >= -eps;
}

/** Input vertices converted with toVecExact remember their [lng, lat], so results that reuse them print exactly. */
const ORIGINAL = new WeakMap<Vec, LngLat>();
export function toVecExact(p: LngLat): Vec {
  const v = toVec(p);
  ORIGINAL.set(v, p);
  return v;
}
/** The [lng, lat] an input vertex came from, or the conversion of a computed point. */
export const toLngLatExact = (v: Vec): LngLat => ORIGINAL.get(v) ?? toLngLat(v);
