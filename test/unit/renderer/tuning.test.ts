import { describe, expect, it } from 'vitest';
import type { ModelVersionDto, TuneReportDto, TuningStatusDto } from '../../../src-shared/api.js';
import { parseRoute, routeHash } from '../../../src-renderer/logic/format.js';
import {
  beforeAfter,
  forecastSentence,
  labelsLine,
  needsLine,
  outcomeLine,
  percent,
  progressFraction,
  progressLine,
  reportLines,
  reportState,
  tuningReducer,
  useVersionQuestion,
  valWithSample,
  verdict,
  versionDate,
  versionName,
  versionOrigin,
} from '../../../src-renderer/logic/tuning.js';

const needed = { faces: 20, people: 2, facesPerPerson: 5 };
const labels = { faces: 26, people: 3, peopleWithEnough: 2, ready: true, reason: null, needed };

const idle: TuningStatusDto = {
  runId: 0,
  running: false,
  harmonic: false,
  startedAt: null,
  progress: null,
  outcome: null,
  report: null,
  error: null,
  labels,
  activeVersion: 0,
};

const report: TuneReportDto = {
  version: 2,
  parent: 1,
  harmonic: true,
  labels: {
    faces: 40,
    people: 3,
    trainFaces: 32,
    heldOutFaces: 8,
    heldOutPeople: 3,
    heldOutSamePairs: 9,
    heldOutDifferentPairs: 19,
  },
  heldOut: {
    valAtFar1e3: { before: 0.62, after: 0.705, crossVersion: 0.651 },
    nearestLabelledAccuracy: { before: 0.75, after: 0.875 },
    clusterBCubedF: { before: 0.8, after: 0.9125 },
    changedPerson: 3,
    fixed: 2,
    broken: 1,
  },
  library: { faces: 340, wouldChangePerson: 12, peopleNow: 20, peopleAfter: 21 },
  training: { steps: 45, bestEpoch: 3, stopReason: 'early-stopping', seconds: 3.24 },
};

const progress = {
  epoch: 3,
  step: 45,
  totalSteps: 300,
  loss: 0.01234,
  heldOutVal: 0.71,
  heldOutFaces: 6,
  heldOutPeople: 3,
  elapsedMs: 900,
};

describe('tuning run state', () => {
  it('follows a run from the start answer through progress events to its end', () => {
    let s = tuningReducer(null, { type: 'status', status: idle });
    s = tuningReducer(s, { type: 'status', status: { ...idle, runId: 1, running: true, harmonic: true } });
    expect(s).toMatchObject({ runId: 1, running: true, progress: null });
    s = tuningReducer(s, { type: 'event', event: { type: 'tuning-progress', runId: 1, progress } });
    expect(s?.progress).toEqual(progress);
    s = tuningReducer(s, {
      type: 'event',
      event: { type: 'tuning-finished', runId: 1, outcome: 'done', report, error: null },
    });
    expect(s).toMatchObject({ running: false, outcome: 'done', report, progress, labels });
    // Unrelated events leave the state alone.
    expect(tuningReducer(s, { type: 'event', event: { type: 'library-changed', reason: 'x' } })).toBe(s);
  });

  it('ignores answers and events that are older than what it already knows', () => {
    const done: TuningStatusDto = { ...idle, runId: 2, outcome: 'done', report };
    // A status asked before run 2 ended answers "running": the end already seen wins, fresh labels are kept.
    const stale = tuningReducer(done, {
      type: 'status',
      status: { ...idle, runId: 2, running: true, labels: { ...labels, faces: 17 } },
    });
    expect(stale).toMatchObject({ running: false, report, labels: { faces: 17 } });
    expect(tuningReducer(done, { type: 'status', status: { ...idle, runId: 1 } })).toBe(done);
    expect(tuningReducer(done, { type: 'event', event: { type: 'tuning-progress', runId: 1, progress } })).toBe(done);
    // A progress message that trails its own run's end does not bring "running" back.
    expect(tuningReducer(done, { type: 'event', event: { type: 'tuning-progress', runId: 2, progress } })).toBe(done);
    // A newer run's progress does: the previous report is no longer the current one.
    expect(
      tuningReducer(done, { type: 'event', event: { type: 'tuning-progress', runId: 3, progress } }),
    ).toMatchObject({ runId: 3, running: true, report: null, outcome: null });
    // Events before the first status answer are left to that answer.
    expect(tuningReducer(null, { type: 'event', event: { type: 'tuning-progress', runId: 1, progress } })).toBeNull();
  });

  it('says how a run ended', () => {
    expect(outcomeLine({ ...idle, runId: 1, outcome: 'cancelled', error: 'cancelled' })).toBe(
      'Training cancelled; nothing was stored.',
    );
    expect(outcomeLine({ ...idle, runId: 1, outcome: 'failed', error: 'disk full' })).toBe(
      'Training failed: disk full',
    );
    expect(outcomeLine({ ...idle, runId: 1, outcome: 'done', report })).toBeNull();
    expect(outcomeLine({ ...idle, runId: 1, running: true, outcome: 'failed' })).toBeNull();
  });
});

describe('tuning figures in words', () => {
  it('formats rates and before/after pairs, with n/a for what was not measured', () => {
    expect(percent(0.705)).toBe('70.5%');
    expect(percent(1)).toBe('100.0%');
    expect(percent(null)).toBe('n/a');
    expect(beforeAfter({ before: 0.62, after: null })).toBe('62.0% → n/a');
  });

  it('lists the report: VAL, cross-version for harmonic runs, nearest-label accuracy, changes, labels', () => {
    const lines = reportLines(report);
    expect(lines.map((l) => [l.key, l.label, l.value])).toEqual([
      [
        'sample',
        'Measured on',
        '8 held-out faces of 3 people: too few to mean much (a reliable figure needs at least 30 held-out faces of 3 people)',
      ],
      ['val', 'Correct matches at 1 wrong match in 1,000', '62.0% → 70.5%'],
      ['cross', 'Old faces against new ones', '65.1%'],
      ['nearest', 'Nearest labelled face is the right person', '75.0% → 87.5%'],
      ['clustering', 'Held-out faces grouped with the right people', '80.0% → 91.3%'],
      ['held-out-changes', 'Held-out faces that would change person', '3: 2 fixed, 1 broken'],
      ['library-changes', 'Library faces that would change person (when trained)', '12 of 340 (people 20 → 21)'],
      ['learned', 'Learned from', '32 confirmed faces of 3 people (8 held out for these figures)'],
    ]);
    expect(lines.at(-1)?.hint).toBe('45 training steps, 3.2 s.');
    expect(lines.every((l) => l.hint.length > 10)).toBe(true);
    const plain = reportLines({ ...report, harmonic: false });
    expect(plain.map((l) => l.key)).not.toContain('cross');
    const unmeasured = reportLines({
      ...report,
      labels: { ...report.labels, heldOutFaces: 0, people: 1, trainFaces: 1 },
    });
    expect(unmeasured[1]!.value).toBe('not measured (too few held-out faces)');
    expect(unmeasured.at(-1)!.value).toBe('1 confirmed face of 1 person (0 held out for these figures)');
  });

  it('sums the report up in one sentence', () => {
    expect(verdict(report)).toBe(
      'Version 2 recognises your held-out faces better than version 1, but from 8 held-out faces of 3 people ' +
        'that says little: confirm more faces of more people for a reliable answer.',
    );
    const big = { ...report, labels: { ...report.labels, heldOutFaces: 40, heldOutPeople: 8 } };
    expect(verdict(big)).toBe(
      'Version 2 recognises your held-out faces better than version 1 (from 40 held-out faces of 8 people).',
    );
    const worse = {
      ...report,
      heldOut: { ...report.heldOut, valAtFar1e3: { ...report.heldOut.valAtFar1e3, after: 0.5 } },
    };
    expect(verdict(worse)).toMatch(/worse than version 1, but from 8/);
    const same = {
      ...report,
      heldOut: { ...report.heldOut, valAtFar1e3: { ...report.heldOut.valAtFar1e3, after: 0.622 } },
    };
    expect(verdict({ ...same, parent: 0 })).toMatch(/about as well as the shipped version, but/);
    const none = {
      ...report,
      heldOut: {
        ...report.heldOut,
        valAtFar1e3: { before: null, after: null, crossVersion: null },
        nearestLabelledAccuracy: { before: null, after: null },
        clusterBCubedF: { before: null, after: null },
      },
    };
    expect(verdict(none)).toMatch(/Too few held-out faces/);
  });

  it('shows progress and the labels available', () => {
    expect(progressLine(progress)).toBe(
      'Epoch 3 · step 45 of at most 300 · loss 0.0123 · correct matches 71.0% from 6 held-out faces of 3 people (too few to mean much)',
    );
    expect(progressLine({ ...progress, heldOutFaces: 40, heldOutPeople: 5 })).toMatch(
      /correct matches 71\.0% from 40 held-out faces of 5 people$/,
    );
    expect(progressLine({ ...progress, heldOutVal: null })).toBe('Epoch 3 · step 45 of at most 300 · loss 0.0123');
    expect(progressFraction(progress)).toBeCloseTo(0.15);
    expect(progressFraction(null)).toBe(0);
    expect(progressFraction({ ...progress, step: 400 })).toBe(1);
    expect(labelsLine(labels)).toBe('26 confirmed faces of 3 people to learn from.');
    const few = { faces: 1, people: 1, peopleWithEnough: 0, ready: false, reason: 'x', needed };
    expect(labelsLine(few)).toBe('1 confirmed face of 1 person to learn from.');
  });

  it('says what training needs, with the counts so far, when it cannot start', () => {
    expect(needsLine(labels)).toBeNull();
    expect(needsLine({ ...labels, faces: 8, people: 3, peopleWithEnough: 1, ready: false, reason: 'x' })).toBe(
      'Training needs at least 20 confirmed faces in all, with at least 5 each for at least 2 people. ' +
        'So far: 8 confirmed faces of 3 people, 1 of them with 5 or more.',
    );
  });

  it('carries the held-out sample size with every figure and forecasts a switch in words', () => {
    expect(valWithSample(report)).toBe('62.0% → 70.5% from 8 held-out faces of 3 people (too few to mean much)');
    const big = { ...report, labels: { ...report.labels, heldOutFaces: 40, heldOutPeople: 8 } };
    expect(valWithSample(big)).toBe('62.0% → 70.5% from 40 held-out faces of 8 people');
    const forecast = { version: 2, faces: 340, facesMoving: 7, peopleNow: 20, peopleAfter: 19, restoresEarlier: false };
    const live = reportLines(report, forecast).find((l) => l.key === 'library-changes');
    expect(live).toMatchObject({ label: 'Library faces that would change person', value: '7 of 340 (people 20 → 19)' });
    expect(forecastSentence(forecast)).toBe('7 faces of 340 will change person; people 20 → 19.');
    expect(forecastSentence({ ...forecast, restoresEarlier: true })).toMatch(/^People come back exactly as they were/);
  });
});

describe('model versions', () => {
  const v0: ModelVersionDto = {
    version: 0,
    active: false,
    createdAt: null,
    parent: null,
    harmonic: false,
    report: null,
  };
  const v2: ModelVersionDto = {
    version: 2,
    active: true,
    createdAt: new Date(2025, 0, 2, 13, 45).getTime(),
    parent: 1,
    harmonic: true,
    report,
  };

  it('names, dates and traces versions', () => {
    expect(versionName(v0)).toBe('Version 0 (shipped)');
    expect(versionName(v2)).toBe('Version 2');
    expect(versionDate(v0)).toBe('with the app');
    expect(versionDate(v2)).toBe('2025-01-02 13:45');
    expect(versionOrigin(v0)).toBe('');
    expect(versionOrigin(v2)).toBe('from version 1, harmonic');
    expect(versionOrigin({ parent: 0, harmonic: false })).toBe('from the shipped version');
  });

  it("knows what became of a report's version", () => {
    expect(reportState(report, [v0, v2])).toBe('applied');
    expect(reportState(report, [v0, { ...v2, active: false }])).toBe('undecided');
    expect(reportState(report, [v0])).toBe('discarded');
  });

  it('asks before switching, in the words of what happens', () => {
    expect(useVersionQuestion(v0, 2)).toMatch(/^Go back to the shipped version \(0\)\? .*names, confirmed faces/);
    expect(useVersionQuestion({ ...v2, version: 1 }, 2)).toMatch(/^Roll back to version 1\?/);
    expect(useVersionQuestion({ ...v2, version: 3 }, 2)).toMatch(/^Use version 3\?/);
    const forecast = { version: 0, faces: 40, facesMoving: 3, peopleNow: 5, peopleAfter: 6, restoresEarlier: false };
    expect(useVersionQuestion(v0, 2, forecast)).toMatch(
      /3 faces of 40 will change person; people 5 → 6\. You can undo it in History\.$/,
    );
  });

  it('routes #/recognition to the view', () => {
    expect(parseRoute('#/recognition')).toEqual({ view: 'recognition' });
    expect(routeHash({ view: 'recognition' })).toBe('#/recognition');
  });
});
