import type { FaceRecord } from '../../src-main/engine/people/faces.js';

/** A unit vector at `deg` degrees on the circle: D(a, b) = 2 - 2 cos(angle between them). */
export function onCircle(deg: number): Float32Array {
  const r = (deg * Math.PI) / 180;
  return new Float32Array([Math.cos(r), Math.sin(r)]);
}

/** Faces on the unit circle, one per angle, ids = the given ids (default 0..). */
export function circleFaces(degrees: readonly number[], extra: Partial<FaceRecord>[] = []): FaceRecord[] {
  return degrees.map((deg, i) => ({ id: i, embedding: onCircle(deg), ...extra[i] }));
}

/** Partition as a sorted list of sorted member lists, for order-free comparison. */
export function partition(labels: readonly (string | number)[], ids: readonly (string | number)[]): string[] {
  const groups = new Map<string | number, (string | number)[]>();
  labels.forEach((l, i) => {
    const g = groups.get(l) ?? [];
    g.push(ids[i] as string | number);
    groups.set(l, g);
  });
  return [...groups.values()].map((g) => g.map(String).sort().join(',')).sort();
}
