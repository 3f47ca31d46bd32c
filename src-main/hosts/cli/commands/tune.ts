/**
 * `facenet tune [--harmonic] [--json] [--apply] [--seed n]`: learns from the library's confirmed faces (a new
 * embedding version, stored but not applied unless --apply) and prints before/after figures on held-out
 * confirmed faces. Ctrl-C cancels the training.
 */
import { heldOutSample } from '../../../../src-shared/held-out-sample.js';
import type { TuneReport } from '../../../engine/tuning/tuning-service.js';
import { parse, UsageError } from '../args.js';
import { LIBRARY_OPTION, openLibrary } from '../library/session.js';

const OPTIONS = {
  ...LIBRARY_OPTION,
  json: { type: 'boolean' },
  harmonic: { type: 'boolean' },
  apply: { type: 'boolean' },
  seed: { type: 'string' },
} as const;

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : 'n/a');

export function formatTuneReport(r: TuneReport): string {
  const h = r.heldOut;
  const sample = heldOutSample(r.labels);
  return [
    `model version ${r.version} trained from version ${r.parent}${r.harmonic ? ' (harmonic)' : ''}: ` +
      `${r.labels.trainFaces} confirmed faces of ${r.labels.people} people, ${r.labels.heldOutFaces} held out`,
    `  held-out figures ${sample.words}${sample.caution ? `: ${sample.caution}` : ''}`,
    `  held-out VAL at FAR 1e-3      ${pct(h.valAtFar1e3.before)} -> ${pct(h.valAtFar1e3.after)}` +
      `   (across versions ${pct(h.valAtFar1e3.crossVersion)})`,
    `  held-out nearest-label right  ${pct(h.nearestLabelledAccuracy.before)} -> ${pct(h.nearestLabelledAccuracy.after)}` +
      `   (${h.changedPerson} changed: ${h.fixed} fixed, ${h.broken} broken)`,
    `  held-out clustering BCubed F  ${pct(h.clusterBCubedF.before)} -> ${pct(h.clusterBCubedF.after)}`,
    `  library faces that would change person: ${r.library.wouldChangePerson} of ${r.library.faces}` +
      ` (people ${r.library.peopleNow} -> ${r.library.peopleAfter}, at training time)`,
    `  training: ${r.training.steps} steps, best epoch ${r.training.bestEpoch} (${r.training.stopReason}), ${r.training.seconds.toFixed(1)} s`,
  ].join('\n');
}

export async function tuneCommand(argv: string[]): Promise<void> {
  const usage = 'facenet tune [--library <path>] [--harmonic] [--json] [--apply] [--seed n]';
  const { values, positionals } = parse(argv, OPTIONS, usage);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${usage}`);
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer\nusage: ${usage}`);
  const session = openLibrary(values.library);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    let lastEpoch = -1;
    const report = await session.engine.tuning.tune({
      harmonic: values.harmonic,
      seed,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.kind !== 'epoch' || p.epoch === lastEpoch) return;
        lastEpoch = p.epoch;
        const sample = heldOutSample({ heldOutFaces: p.validation.faces, heldOutPeople: p.validation.people });
        const val = p.heldOut
          ? `  validation VAL ${pct(p.heldOut.valAtFar)} ${sample.words}${sample.tooSmall ? ' (too few to mean much)' : ''}`
          : '';
        process.stderr.write(`epoch ${p.epoch}  step ${p.step}/${p.totalSteps}  loss ${p.loss.toFixed(4)}${val}\n`);
      },
    });
    const applied = values.apply ? await session.api.useModelVersion({ version: report.version }) : null;
    if (values.json) console.log(JSON.stringify(applied ? { ...report, applied } : report));
    else {
      console.log(formatTuneReport(report));
      console.log(
        applied
          ? `applied: ${applied.reembedded} faces re-embedded, ${applied.people} people`
          : `not applied: facenet models use ${report.version}`,
      );
    }
  } finally {
    process.off('SIGINT', onSigint);
    await session.close();
  }
}
