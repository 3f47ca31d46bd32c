/**
 * Union-find over rows 0..n-1 in an Int32Array of parents (each row its own parent at the start). The smaller
 * index always becomes the root, so a group's root is its smallest member: results do not depend on the order
 * in which pairs are joined, which keeps clustering deterministic.
 */
export function unionFindParents(n: number): Int32Array {
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  return parent;
}

export function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    const p = parent[i] as number;
    parent[i] = parent[p] as number; // path halving
    i = p;
  }
  return i;
}

export function union(parent: Int32Array, a: number, b: number): void {
  const ra = find(parent, a);
  const rb = find(parent, b);
  if (ra < rb) parent[rb] = ra;
  else if (rb < ra) parent[ra] = rb;
}
