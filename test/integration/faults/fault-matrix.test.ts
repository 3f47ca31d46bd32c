/**
 * The fault matrix (issue 12) as part of the test suite: every scenario once (one kill per long operation, at
 * a seeded random point). `npm run test:faults` runs more kills and prints the table the README quotes.
 */
import { describe, expect, it } from 'vitest';
import { hasDemoPhotos } from '../../helpers/demo-photos.js';
import { formatMatrix, runFaultMatrix } from './matrix.js';

describe.skipIf(!hasDemoPhotos(2))('fault matrix: kills, unreachable folders, full disk, lock, hostile files', () => {
  it("keeps every photo and all of the user's work, and ends where an undisturbed run ends", async () => {
    const result = await runFaultMatrix({ trials: 1, seed: 20261201 });
    console.log(formatMatrix(result));
    for (const row of result.rows) {
      expect.soft(row.problems, `${row.id}: ${row.fault}`).toEqual([]);
      expect.soft(row.ok, row.id).not.toBe(false);
    }
    // The rows that need no privileges always run.
    const always = [
      'kill-index',
      'kill-recluster',
      'kill-tune',
      'kill-models-use',
      'kill-export',
      'vanished-folder',
      'locked-database',
      'hostile-photos',
    ];
    expect(result.rows.filter((r) => always.includes(r.id)).map((r) => r.ok)).toEqual(always.map(() => true));
  }, 900_000);
});
