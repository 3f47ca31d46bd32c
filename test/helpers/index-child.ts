/**
 * Child process for the crash-and-resume test: indexes one folder into one library with an artificially slow
 * TestPipeline and prints one line per finished photo ("done <n>"), then "finished". Usage:
 *   tsx test/helpers/index-child.ts <library.db> <folder> <delayMs> [concurrency]
 */
import { LibraryService } from '../../src-main/engine/library/library-service.js';
import { TestPipeline } from './test-pipeline.js';

const [dbPath, folder, delayMs = '0', concurrency = '2'] = process.argv.slice(2);
if (!dbPath || !folder) {
  console.error('usage: index-child.ts <library.db> <folder> <delayMs> [concurrency]');
  process.exit(2);
}
const svc = LibraryService.open(dbPath);
if (!svc.folders().some((f) => f.path === folder)) svc.addFolder(folder);
await svc.index(new TestPipeline({ delayMs: Number(delayMs) }), {
  concurrency: Number(concurrency),
  onProgress: (p) => {
    if (p.done > 0) process.stdout.write(`done ${p.done}\n`);
  },
});
await svc.close();
process.stdout.write('finished\n');
