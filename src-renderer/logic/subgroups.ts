/**
 * "Group by similarity" rows from the engine's sub-groups (largest first): each group of two faces or more is a
 * row of its own; the faces alike to no other face of the person are one last row ("unlike the others"), so a
 * person of hundreds of faces does not list each outlier on a line of its own. Selecting a row selects its faces.
 */
export interface SubgroupRow<F> {
  faces: F[];
  /** True for the row of faces that are alike to no other. */
  loners: boolean;
}

export function subgroupRows<F>(groups: ReadonlyArray<{ faces: readonly F[] }>): SubgroupRow<F>[] {
  const rows: SubgroupRow<F>[] = groups
    .filter((g) => g.faces.length > 1)
    .map((g) => ({ faces: [...g.faces], loners: false }));
  const loners = groups.filter((g) => g.faces.length === 1).flatMap((g) => g.faces);
  if (loners.length > 0) rows.push({ faces: loners, loners: true });
  return rows;
}
