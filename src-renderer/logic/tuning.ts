/**
 * The "Improve recognition" view's pure parts: the run state merged from tuneStatus answers and pushed events
 * (which can arrive in any order), and the report's figures in plain words. Pure, so tested without a browser.
 */
import { heldOutSample } from '../../src-shared/held-out-sample.js';
import type {
  ApiEvent,
  ModelVersionDto,
  ModelVersionForecastDto,
  RateDto,
  TuneReportDto,
  TuningProgressDto,
  TuningStatusDto,
} from '../../src-shared/api.js';
import { plural } from '../../src-shared/words.js';

// ---- run state

export type TuningAction = { type: 'status'; status: TuningStatusDto } | { type: 'event'; event: ApiEvent };

/**
 * Merges what the engine says about training. A status answer can be older than an event that overtook it
 * (it was asked before the run ended): an answer about an earlier run, or one saying "running" about a run
 * already known to have finished, is ignored. Events of other kinds leave the state as it is.
 */
export function tuningReducer(state: TuningStatusDto | null, action: TuningAction): TuningStatusDto | null {
  if (action.type === 'status') {
    const s = action.status;
    if (state && s.runId < state.runId) return state;
    if (state && s.runId === state.runId && s.running && !state.running) return { ...state, labels: s.labels };
    return s;
  }
  const e = action.event;
  if (e.type !== 'tuning-progress' && e.type !== 'tuning-finished') return state;
  if (!state || e.runId < state.runId) return state;
  if (e.type === 'tuning-progress') {
    if (e.runId === state.runId && !state.running) return state; // a late progress message after the end
    return { ...state, runId: e.runId, running: true, progress: e.progress, outcome: null, report: null, error: null };
  }
  return { ...state, runId: e.runId, running: false, outcome: e.outcome, report: e.report, error: e.error };
}

// ---- figures in words

/** A rate as a percentage with one decimal; "n/a" where it could not be measured. */
export function percent(x: RateDto): string {
  return x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`;
}

/** "62.0% → 70.0%". */
export function beforeAfter(pair: { before: RateDto; after: RateDto }): string {
  return `${percent(pair.before)} → ${percent(pair.after)}`;
}

export interface ReportLine {
  key: 'sample' | 'val' | 'cross' | 'nearest' | 'clustering' | 'held-out-changes' | 'library-changes' | 'learned';
  label: string;
  value: string;
  /** What the figure means, for a tooltip or a line under it. */
  hint: string;
}

/** "62.0% → 70.0% from 12 held-out faces of 4 people" (the versions table: figures with their sample). */
export function valWithSample(r: TuneReportDto): string {
  if (r.labels.heldOutFaces < 2) return 'not measured (too few held-out faces)';
  const sample = heldOutSample(r.labels);
  return `${beforeAfter(r.heldOut.valAtFar1e3)} ${sample.words}${sample.tooSmall ? ' (too few to mean much)' : ''}`;
}

/** "3 of 20 (people 4 → 5)", or "people as they were with this version" when switching back restores them. */
export function forecastValue(f: Pick<ModelVersionForecastDto, 'faces' | 'facesMoving' | 'peopleNow' | 'peopleAfter'>) {
  return `${f.facesMoving} of ${f.faces} (people ${f.peopleNow} → ${f.peopleAfter})`;
}

/**
 * The report as label/value lines, in the order the view shows them. `forecast`: what applying the version
 * would do now (forecastModelVersion), shown instead of the figure computed when it was trained.
 */
export function reportLines(r: TuneReportDto, forecast?: ModelVersionForecastDto | null): ReportLine[] {
  const h = r.heldOut;
  const measured = r.labels.heldOutFaces >= 2;
  const sample = heldOutSample(r.labels);
  const lines: ReportLine[] = [
    {
      key: 'sample',
      label: 'Measured on',
      value: `${sample.words.replace(/^from /, '')}${sample.caution ? `: ${sample.caution}` : ''}`,
      hint: 'Confirmed faces kept out of training to compare the versions; the figures below rest on them alone.',
    },
    {
      key: 'val',
      label: 'Correct matches at 1 wrong match in 1,000',
      value: measured ? beforeAfter(h.valAtFar1e3) : 'not measured (too few held-out faces)',
      hint: 'Held-out VAL at FAR 1e-3: pairs of the same person recognised when only 1 in 1,000 pairs of different people is mistaken for one.',
    },
  ];
  if (r.harmonic)
    lines.push({
      key: 'cross',
      label: 'Old faces against new ones',
      value: percent(h.valAtFar1e3.crossVersion),
      hint: 'Harmonic training: the same figure when one face of each pair is embedded by the version in use and the other by the new one.',
    });
  lines.push(
    {
      key: 'nearest',
      label: 'Nearest labelled face is the right person',
      value: measured ? beforeAfter(h.nearestLabelledAccuracy) : 'not measured',
      hint: 'Held-out faces whose closest confirmed face belongs to the right person.',
    },
    {
      key: 'clustering',
      label: 'Held-out faces grouped with the right people',
      value: measured ? beforeAfter(h.clusterBCubedF) : 'not measured',
      hint: 'BCubed F of clustering the held-out faces at your threshold: 100% when every person gets one group of their own.',
    },
    {
      key: 'held-out-changes',
      label: 'Held-out faces that would change person',
      value: `${h.changedPerson}: ${h.fixed} fixed, ${h.broken} broken`,
      hint: 'Fixed: wrong before, right now. Broken: right before, wrong now.',
    },
    forecast
      ? {
          key: 'library-changes',
          label: 'Library faces that would change person',
          value: forecastValue(forecast),
          hint: 'Worked out now from the re-grouping that Apply does, on the library as it is.',
        }
      : {
          key: 'library-changes',
          label: 'Library faces that would change person (when trained)',
          value:
            r.library.peopleNow === null || r.library.peopleAfter === null
              ? `${r.library.wouldChangePerson} of ${r.library.faces}`
              : forecastValue({
                  faces: r.library.faces,
                  facesMoving: r.library.wouldChangePerson,
                  peopleNow: r.library.peopleNow,
                  peopleAfter: r.library.peopleAfter,
                }),
          hint: 'The re-grouping Apply would have done when the version was trained.',
        },
    {
      key: 'learned',
      label: 'Learned from',
      value:
        `${plural(r.labels.trainFaces, 'confirmed face')} of ${plural(r.labels.people, 'person', 'people')}` +
        ` (${r.labels.heldOutFaces} held out for these figures)`,
      hint: `${plural(r.training.steps, 'training step')}, ${r.training.seconds.toFixed(1)} s.`,
    },
  );
  return lines;
}

/** One sentence on whether the new version is better than the one it was trained from (held-out figures). */
export function verdict(r: TuneReportDto): string {
  const delta = (p: { before: RateDto; after: RateDto }): number | null =>
    p.before === null || p.after === null ? null : p.after - p.before;
  const d = delta(r.heldOut.valAtFar1e3) ?? delta(r.heldOut.nearestLabelledAccuracy);
  if (d === null) return 'Too few held-out faces to measure the difference: confirm more faces per person.';
  const than = r.parent === 0 ? 'the shipped version' : `version ${r.parent}`;
  const how = d > 0.005 ? 'better than' : d < -0.005 ? 'worse than' : 'about as well as';
  const sample = heldOutSample(r.labels);
  const said = `Version ${r.version} recognises your held-out faces ${how} ${than}`;
  return sample.tooSmall
    ? `${said}, but ${sample.words} that says little: confirm more faces of more people for a reliable answer.`
    : `${said} (${sample.words}).`;
}

/** "Epoch 3 · step 45 of at most 300 · loss 0.0123 · correct matches 71.0% from 6 held-out faces of 3 people (…)". */
export function progressLine(p: TuningProgressDto): string {
  const parts = [`Epoch ${p.epoch}`, `step ${p.step} of at most ${p.totalSteps}`, `loss ${p.loss.toFixed(4)}`];
  if (p.heldOutVal !== null) {
    const sample = heldOutSample({ heldOutFaces: p.heldOutFaces, heldOutPeople: p.heldOutPeople });
    parts.push(
      `correct matches ${percent(p.heldOutVal)} ${sample.words}${sample.tooSmall ? ' (too few to mean much)' : ''}`,
    );
  }
  return parts.join(' · ');
}

/** 0..1 for the progress bar (training usually stops before totalSteps). */
export function progressFraction(p: TuningProgressDto | null): number {
  return p && p.totalSteps > 0 ? Math.min(1, p.step / p.totalSteps) : 0;
}

/** "16 confirmed faces of 3 people can be learned from." */
export function labelsLine(labels: TuningStatusDto['labels']): string {
  return `${plural(labels.faces, 'confirmed face')} of ${plural(labels.people, 'person', 'people')} to learn from.`;
}

/**
 * What training needs when it cannot start yet, with the user's counts: "Training needs at least 20 confirmed
 * faces in all, with at least 5 each for at least 2 people. So far: 8 confirmed faces of 3 people, 1 of them
 * with 5 or more." Null when it can start (or when the reason is not about labels).
 */
export function needsLine(labels: TuningStatusDto['labels']): string | null {
  if (labels.ready) return null;
  const n = labels.needed;
  return (
    `Training needs at least ${n.faces} confirmed faces in all, with at least ${n.facesPerPerson} each for at least ` +
    `${plural(n.people, 'person', 'people')}. So far: ${plural(labels.faces, 'confirmed face')} of ` +
    `${plural(labels.people, 'person', 'people')}, ${labels.peopleWithEnough} of them with ${n.facesPerPerson} or more.`
  );
}

/** How a finished run ended, in words (null when there is nothing to say). */
export function outcomeLine(s: TuningStatusDto): string | null {
  if (s.running || !s.outcome) return null;
  if (s.outcome === 'cancelled') return 'Training cancelled; nothing was stored.';
  if (s.outcome === 'failed') return `Training failed: ${s.error ?? 'unknown error'}`;
  return null;
}

/** What became of the last report's version: still to decide, in use, or no longer stored. */
export function reportState(
  report: TuneReportDto,
  versions: readonly ModelVersionDto[],
): 'undecided' | 'applied' | 'discarded' {
  const v = versions.find((x) => x.version === report.version);
  if (!v) return 'discarded';
  return v.active ? 'applied' : 'undecided';
}

// ---- versions

/** "Version 0 (shipped)" / "Version 2". */
export function versionName(v: Pick<ModelVersionDto, 'version'>): string {
  return v.version === 0 ? 'Version 0 (shipped)' : `Version ${v.version}`;
}

/** "2025-01-02 13:45" in local time; "with the app" for version 0. */
export function versionDate(v: Pick<ModelVersionDto, 'createdAt'>): string {
  if (v.createdAt === null) return 'with the app';
  const d = new Date(v.createdAt);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** "from version 1, harmonic" / "from the shipped version" / "" for version 0. */
export function versionOrigin(v: Pick<ModelVersionDto, 'parent' | 'harmonic'>): string {
  if (v.parent === null) return '';
  const from = v.parent === 0 ? 'from the shipped version' : `from version ${v.parent}`;
  return v.harmonic ? `${from}, harmonic` : from;
}

/** What a switch will do, in words, from its forecast. */
export function forecastSentence(f: ModelVersionForecastDto): string {
  if (f.restoresEarlier)
    return `People come back exactly as they were when this version was last in use (${plural(f.facesMoving, 'face')} change person, people ${f.peopleNow} → ${f.peopleAfter}).`;
  return `${plural(f.facesMoving, 'face')} of ${f.faces} will change person; people ${f.peopleNow} → ${f.peopleAfter}.`;
}

/** The confirmation asked before switching versions (with what it will do, when known). */
export function useVersionQuestion(
  target: ModelVersionDto,
  active: number,
  forecast?: ModelVersionForecastDto | null,
): string {
  const what =
    target.version === 0
      ? 'Go back to the shipped version (0)?'
      : target.version < active
        ? `Roll back to version ${target.version}?`
        : `Use version ${target.version}?`;
  const will = forecast ? ` ${forecastSentence(forecast)}` : '';
  return `${what} Every face is re-embedded and people are re-grouped; your names, confirmed faces and “not this person” decisions are kept.${will} You can undo it in History.`;
}
