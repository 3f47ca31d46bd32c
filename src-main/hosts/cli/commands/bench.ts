import { basename } from 'node:path';
import { EngineError } from '../../../app/engine-types.js';
import {
  meanMegapixels,
  measureThroughput,
  parseProvider,
  photosToMeasure,
  type ExecutionProviderName,
  type ThroughputRun,
} from '../../../app/throughput.js';
import { numberOption, parse, pipelineChoice, UsageError } from '../args.js';

const USAGE =
  'facenet bench <photo|folder…> [--provider cpu,cuda,dml,coreml] [--concurrency 1,2] [--rounds n] [--threads n]\n' +
  '              [--detector id] [--embedder id] [--json]';

const OPTIONS = {
  json: { type: 'boolean' },
  provider: { type: 'string' },
  concurrency: { type: 'string' },
  rounds: { type: 'string' },
  threads: { type: 'string' },
  detector: { type: 'string' },
  embedder: { type: 'string' },
} as const;

interface ProviderResult {
  provider: ExecutionProviderName | 'default';
  runs?: ThroughputRun[];
  error?: string;
}

/**
 * `facenet bench`: indexing throughput on your own photos, as the indexer runs them (one worker per photo in
 * flight), once per execution provider asked for, in the same run: so a user with a GPU sees what it gives.
 * A provider that cannot load is reported with its reason, never measured on the CPU in its place.
 */
export async function benchCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, OPTIONS, USAGE);
  if (positionals.length === 0) throw new UsageError(`expected photos or a folder of photos\nusage: ${USAGE}`);
  let providers: Array<ExecutionProviderName | undefined>;
  let concurrencies: number[];
  try {
    providers = values.provider ? values.provider.split(',').map(parseProvider) : [undefined];
    concurrencies = (values.concurrency ?? '1').split(',').map((c) => {
      const n = Number(c);
      if (!Number.isInteger(n) || n < 1 || n > 64) throw new RangeError('--concurrency takes whole numbers 1..64');
      return n;
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nusage: ${USAGE}`);
  }
  const rounds = numberOption(values.rounds, 'rounds', 1, 100) ?? 3;
  const threads = numberOption(values.threads, 'threads', 1, 256);
  const choice = pipelineChoice(values);
  const paths = photosToMeasure(positionals);
  const megapixels = await meanMegapixels(paths);
  const results: ProviderResult[] = [];
  for (const provider of providers) {
    try {
      const runs = await measureThroughput(paths, { concurrencies, rounds, provider, threads, choice });
      results.push({ provider: provider ?? 'default', runs });
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      results.push({ provider: provider ?? 'default', error: error.message });
    }
    if (!values.json) printResult(results[results.length - 1]!);
  }
  if (values.json) console.log(JSON.stringify({ photos: paths.length, megapixels, results }));
  else console.log(`${paths.length} photos, ${megapixels.toFixed(1)} MP on average, ${rounds} rounds (median shown)`);
  const failed = results.filter((r) => r.error);
  if (failed.length > 0) throw new EngineError('invalid', failed.map((r) => r.error).join('; '));
}

function printResult(r: ProviderResult): void {
  if (r.error) {
    console.log(`${r.provider}: not measured: ${r.error}`);
    return;
  }
  const first = r.runs![0]!;
  const where = [...new Set(first.providers.map((p) => p.provider))].join('+');
  const models = first.providers.map((p) => `${basename(p.model)} on ${p.provider}`).join(', ');
  console.log(
    `${r.provider === 'default' ? where : r.provider}: ${first.pipeline}, ${first.threadsPerCall} thread(s) per call (${models})`,
  );
  for (const run of r.runs!) {
    const scaling = run === first ? '' : ` (${(run.photosPerSecond / first.photosPerSecond).toFixed(2)}x)`;
    console.log(
      `  ${run.photosInFlight} in flight: ${run.photosPerSecond.toFixed(2)} photos/s, ` +
        `${run.facesPerSecond.toFixed(2)} faces/s, ${run.faces} faces${scaling}`,
    );
  }
}
