/**
 * Runs the fault matrix (scenarios.ts) on a fresh base library and formats what was tried and what was kept.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFaultLibrary } from './fault-library.js';
import { SCENARIOS, type FaultOptions, type FaultRow } from './scenarios.js';

export interface MatrixResult {
  options: FaultOptions;
  photos: number;
  rows: (FaultRow & { id: string; seconds: number })[];
}

export async function runFaultMatrix(
  o: FaultOptions & { only?: string[]; onRow?: (row: MatrixResult['rows'][number]) => void },
): Promise<MatrixResult> {
  const dir = mkdtempSync(join(tmpdir(), 'facenet-faults-'));
  try {
    const base = await makeFaultLibrary(dir);
    const ctx = { base, dir };
    const rows: MatrixResult['rows'] = [];
    for (const scenario of SCENARIOS) {
      if (o.only && !o.only.includes(scenario.id)) continue;
      const start = Date.now();
      let row: FaultRow;
      try {
        row = await scenario.run(ctx, o);
      } catch (e) {
        row = { fault: scenario.id, tried: '', kept: '', ok: false, problems: [`the scenario threw: ${String(e)}`] };
      }
      const done = { ...row, id: scenario.id, seconds: (Date.now() - start) / 1000 };
      rows.push(done);
      o.onRow?.(done);
    }
    return { options: { trials: o.trials, seed: o.seed }, photos: base.photoCount, rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A Markdown table: fault, what was tried, what was kept, result. */
export function formatMatrix(r: MatrixResult): string {
  const lines = [
    `fault matrix: ${r.photos} photos in the base library, ${r.options.trials} kill(s) per long operation, seed ${r.options.seed}`,
    '',
    '| fault | tried | kept | result |',
    '| --- | --- | --- | --- |',
    ...r.rows.map(
      (row) =>
        `| ${cell(row.fault)} | ${cell(row.tried)} | ${cell(row.kept)} | ${row.ok === null ? 'skipped' : row.ok ? 'kept' : 'LOST'} |`,
    ),
  ];
  for (const row of r.rows.filter((x) => x.ok === false)) {
    lines.push('', `${row.id}:`, ...row.problems.map((p) => `  - ${p}`));
  }
  return lines.join('\n');
}
