/**
 * `npm run test:faults [-- --trials n] [--seed s] [--only id,id] [--json]`: the whole fault matrix (issue 12),
 * with more kills per long operation than the test suite's run; prints the table the README quotes, and exits
 * 1 if anything of the user's was lost or spoiled.
 */
import { parseArgs } from 'node:util';
import { hasDemoPhotos } from '../../helpers/demo-photos.js';
import { formatMatrix, runFaultMatrix } from './matrix.js';

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '5' },
    seed: { type: 'string', default: '1' },
    only: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
if (!hasDemoPhotos(2)) process.exit(0);
const result = await runFaultMatrix({
  trials: Number(values.trials),
  seed: Number(values.seed),
  only: values.only?.split(','),
  onRow: (row) => {
    if (!values.json)
      console.error(
        `${row.id}: ${row.ok === null ? 'skipped' : row.ok ? 'kept' : 'LOST'} (${row.seconds.toFixed(0)} s)`,
      );
  },
});
console.log(values.json ? JSON.stringify(result, null, 2) : formatMatrix(result));
process.exit(result.rows.some((r) => r.ok === false) ? 1 : 0);
