import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { embedPhotos, thresholdRange, type ClusterSettings } from '../../../app/evaluation/cluster.js';
import { runSuite, type SetScore, type SuiteReport, type SuiteSet } from '../../../app/evaluation/cluster-suite.js';
import { developmentSets, folderSet, type PhotoSet } from '../../../app/evaluation/dev-sets.js';
import { withPrimaryFaceAnalyzer } from '../../../app/evaluation/primary-embedding.js';
import type { AnalyzerOptions, PipelineChoice } from '../../../app/pipeline-choice.js';
import { UsageError } from '../args.js';

export const EVAL_SUITE_USAGE = [
  'facenet eval cluster --suite [--shared <dir>] [--check <dir>]... [--sweep from:to:step] [--json]',
  '  (also: --sweep with no --dir or --pairs)',
  '  every development set built from the shared face data (default ../shared or $FACENET_SHARED: a',
  '  library-like set, lfw-dev-people, LFW View 1 train, family, library-sparse) and each --check folder side',
  '  by side: exact average-linkage HAC and DBSCAN at their best per set, the product grouping at each threshold',
  '  (default sweep 0.08:0.2:0.00125; DBSCAN eps from 0.03) with its margin over exact HAC, and the threshold the',
  '  selection rule picks (largest smallest margin over the development sets; docs/clustering-threshold.md).',
].join('\n');

export interface SuiteOptions {
  shared: string | undefined;
  checks: string[];
  thresholds: number[] | undefined;
  settings: ClusterSettings;
  json: boolean;
  choice: PipelineChoice;
  analyzer: AnalyzerOptions;
  cacheDir: string | null | undefined;
}

export async function evalSuiteCommand(o: SuiteOptions): Promise<void> {
  const shared = resolve(o.shared ?? process.env.FACENET_SHARED ?? '../shared');
  let dev: PhotoSet[];
  try {
    dev = developmentSets(shared);
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; give --shared <dir>`);
  }
  const checks = o.checks.map((dir) => {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--check ${dir}: not a folder`);
    const root = resolve(dir);
    return { set: folderSet(root, `check:${root.split(/[\\/]/).pop() ?? root}`), root };
  });
  const all = [
    ...dev.map((set) => ({ set, root: shared, kind: 'development' as const })),
    ...checks.map((c) => ({ ...c, kind: 'check' as const })),
  ];
  const sets: SuiteSet[] = await withPrimaryFaceAnalyzer(o.choice, o.analyzer, o.cacheDir, async (analyzer, cache) => {
    const out: SuiteSet[] = [];
    for (const { set, root, kind } of all) {
      const progress = o.json
        ? undefined
        : (done: number, total: number) => {
            if (done % 100 === 0 || done === total)
              process.stderr.write(`\r  ${set.name}: embedded ${done}/${total} photos`);
          };
      const tree = await embedPhotos(analyzer, set.photos, root, { cache, onProgress: progress });
      if (!o.json) process.stderr.write('\n');
      out.push({
        name: set.name,
        kind,
        description: set.description,
        faces: tree.faces,
        photos: tree.photos,
        noFace: tree.noFace.length,
      });
    }
    return out;
  });
  const thresholds = o.thresholds ?? thresholdRange(0.08, 0.2, 0.00125);
  // DBSCAN's eps is a neighbourhood radius, not a linkage: its best values sit lower, so its grid starts lower.
  const eps = thresholdRange(0.03, Math.max(...thresholds), 0.005);
  const report = runSuite(sets, o.settings, thresholds, eps);
  if (o.json) {
    console.log(JSON.stringify(report));
    return;
  }
  printSuite(report);
}

function printSuite(r: SuiteReport): void {
  const f = (v: number) => v.toFixed(4);
  const cell = (s: SetScore | undefined) => (s ? `${f(s.bcubed.f)} (${s.at})` : '');
  console.log(
    `Grouping suite: threshold swept, min cluster size ${r.settings.minClusterSize}, quality floor ${r.settings.minQuality}` +
      (r.settings.clusterer ? `, ${JSON.stringify(r.settings.clusterer)}` : ''),
  );
  console.log('');
  console.log('  BCubed F (at)          ' + r.sets.map((s) => s.name.padEnd(18)).join(''));
  const line = (label: string, values: string[]) =>
    console.log(`  ${label.padEnd(22)} ${values.map((v) => v.padEnd(18)).join('')}`);
  line(
    'kind',
    r.sets.map((s) => s.kind),
  );
  line(
    'faces / identities',
    r.sets.map((s) => `${s.faces} / ${s.identities}`),
  );
  line(
    `ours at ${r.settings.threshold}`,
    r.atSetting.map((s) => f(s.bcubed.f)),
  );
  line(
    `ours at rule's ${r.chosen.threshold}`,
    r.atChosen.map((s) => f(s.bcubed.f)),
  );
  line('exact HAC, best per set', r.exactHac.map(cell));
  line(`DBSCAN (min ${r.dbscanMinPoints}), best`, r.dbscan.map(cell));
  console.log('');
  console.log('  threshold  ' + r.sets.map((s) => s.name.padEnd(18)).join('') + 'smallest margin   development mean');
  const signed = (v: number) => (v >= 0 ? '+' : '') + f(v);
  for (const row of r.sweep) {
    const mark = row === r.chosen ? ' <- rule' : '';
    console.log(
      `  ${row.threshold.toFixed(4).padEnd(9)}  ${row.bcubedF.map((v) => f(v).padEnd(18)).join('')}${signed(row.smallestMargin).padEnd(18)}${f(row.developmentMean)}${mark}`,
    );
  }
  console.log(`\n  (${r.seconds.toFixed(1)} s of clustering)`);
}
