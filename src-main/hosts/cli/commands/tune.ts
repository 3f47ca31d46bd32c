/**
 * `facenet tune [--harmonic] [--json] [--apply] [--seed n]`: learns from the library's confirmed faces (a new
 * embedding version, stored but not applied unless --apply) and prints before/after figures on held-out
 * confirmed faces. Ctrl-C cancels the training. Goes through the API as the app does: tuneStart, the
 * 'tuning-progress' and 'tuning-finished' events, tuneCancel, useModelVersion.
 */
import {
  ApiError,
  type ApiEvent,
  type RateDto,
  type TuneReportDto,
  type TuningProgressDto,
} from '../../../../src-shared/api.js';
import { heldOutSample } from '../../../../src-shared/held-out-sample.js';
import { parse, StoppedByUser, UsageError } from '../args.js';
import { LIBRARY_OPTION, openLibrary, type LibrarySession } from '../library/session.js';

const OPTIONS = {
  ...LIBRARY_OPTION,
  json: { type: 'boolean' },
  harmonic: { type: 'boolean' },
  apply: { type: 'boolean' },
  seed: { type: 'string' },
} as const;

type TuningFinished = Extract<ApiEvent, { type: 'tuning-finished' }>;

/** A rate as a percentage; 'n/a' when it was not measured (null in the DTO). */
const pct = (x: RateDto) => (x !== null && Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : 'n/a');

export function formatTuneReport(r: TuneReportDto): string {
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

/** One line per finished epoch on stderr: its loss and the held-out VAL of the trainer's early-stopping faces. */
function epochLine(p: TuningProgressDto): string {
  const sample = heldOutSample({ heldOutFaces: p.heldOutFaces, heldOutPeople: p.heldOutPeople });
  // The trainer scores its early-stopping faces only when it sets two or more aside (training/trainer.ts).
  const val =
    p.heldOutFaces > 1
      ? `  validation VAL ${pct(p.heldOutVal)} ${sample.words}${sample.tooSmall ? ' (too few to mean much)' : ''}`
      : '';
  return `epoch ${p.epoch}  step ${p.step}/${p.totalSteps}  loss ${p.loss.toFixed(4)}${val}\n`;
}

/**
 * Starts a run and waits for its end, printing each epoch as it finishes. The progress events do not say
 * which one ends an epoch, but an epoch's end is always sent and is its last event: an epoch is printed when
 * the next one starts, and the last one when the run is done.
 */
async function tuneThroughApi(
  session: LibrarySession,
  args: { harmonic?: boolean; seed?: number },
): Promise<TuneReportDto> {
  let pending: TuningProgressDto | null = null;
  const print = () => {
    if (pending) process.stderr.write(epochLine(pending));
    pending = null;
  };
  let off = () => {};
  // The session's engine is this command's own: every tuning event is of the run started below. Listening
  // starts first, since a run can report before tuneStart has answered.
  const finished = new Promise<TuningFinished>((resolve) => {
    off = session.engine.on((event) => {
      if (event.type === 'tuning-progress') {
        if (pending && event.progress.epoch !== pending.epoch) print();
        pending = event.progress;
      } else if (event.type === 'tuning-finished') resolve(event);
    });
  });
  const onSigint = () => void session.api.tuneCancel();
  process.once('SIGINT', onSigint);
  try {
    await session.api.tuneStart(args);
    const end = await finished;
    if (end.outcome === 'done' && end.report) {
      print();
      return end.report;
    }
    if (end.outcome === 'cancelled') {
      // Ctrl+C: the run ended without storing a version; say so in one line, not as a failure.
      throw new StoppedByUser('stopped (Ctrl+C): no new model version was made; the library is as it was');
    }
    // The message is already plain (the detail went to the log where the run failed).
    throw new ApiError('internal', end.error ?? 'training failed');
  } finally {
    process.off('SIGINT', onSigint);
    off();
  }
}

export async function tuneCommand(argv: string[]): Promise<void> {
  const usage = 'facenet tune [--library <path>] [--harmonic] [--json] [--apply] [--seed n]';
  const { values, positionals } = parse(argv, OPTIONS, usage);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${usage}`);
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer\nusage: ${usage}`);
  const session = openLibrary(values.library);
  try {
    const report = await tuneThroughApi(session, { harmonic: values.harmonic ?? false, seed });
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
    await session.close();
  }
}
