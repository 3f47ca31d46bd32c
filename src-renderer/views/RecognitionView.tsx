import { useCallback, useEffect, useReducer, useState } from 'react';
import type { ModelVersionDto, ModelVersionForecastDto, TuneReportDto } from '../../src-shared/api.js';
import { useApp } from '../app-context.js';
import {
  forecastSentence,
  labelsLine,
  needsLine,
  outcomeLine,
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
} from '../logic/tuning.js';
import { useLoad } from '../use-load.js';
import { plural } from '../../src-shared/words.js';

/**
 * "Improve recognition from my labels": learn a new embedding version from the confirmed faces (in the
 * engine's background worker), read its before/after figures, apply or discard it, and switch between
 * versions (0 = shipped) at any time. Training never changes people; using a version re-groups them while
 * keeping every name and decision, and is one History entry (Ctrl+Z undoes it). What Apply would do is asked
 * of the engine whenever the report is shown (the library may have changed since training), never taken from
 * the report.
 */
export function RecognitionView() {
  const { api, transport, version, refresh, showError } = useApp();
  const [status, dispatch] = useReducer(tuningReducer, null);
  const [reload, setReload] = useState(0);
  const versions = useLoad(() => api.modelVersions(), [api, version, reload]);
  // Off by default, as in `facenet tune`: applying re-embeds every face from its stored features, and the
  // distance calibration keeps the threshold's meaning; harmonic mode trades most of the gain for
  // comparability with embeddings made by the old version (training/README.md has the figures).
  const [harmonic, setHarmonic] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  // What applying the undecided report's version would do now; asked again after every library change.
  const [forecast, setForecast] = useState<ModelVersionForecastDto | null>(null);

  const loadStatus = useCallback(() => {
    api.tuneStatus().then((s) => dispatch({ type: 'status', status: s }), showError);
  }, [api, showError]);

  useEffect(loadStatus, [loadStatus, version, reload]);

  useEffect(
    () =>
      transport.subscribe((event) => {
        dispatch({ type: 'event', event });
        // A finished run stored a version: list it, and take the status again (labels, a missed start).
        if (event.type === 'tuning-finished') setReload((n) => n + 1);
      }),
    [transport],
  );

  /** Runs one engine request with the buttons disabled; errors go to the app's error toast. */
  const act = <T,>(what: string, request: () => Promise<T>, done: (result: T) => void): void => {
    setBusy(what);
    setMessage(null);
    request().then(
      (result) => {
        setBusy(null);
        done(result);
      },
      (e: unknown) => {
        setBusy(null);
        showError(e);
      },
    );
  };

  const start = (): void =>
    act(
      'start',
      () => api.tuneStart({ harmonic }),
      (s) => dispatch({ type: 'status', status: s }),
    );

  const apply = (target: ModelVersionDto): void =>
    act(
      `use-${target.version}`,
      () => api.useModelVersion({ version: target.version }),
      (r) => {
        const restored = r.restoredEarlier ? ', people as they were with this version' : '';
        setMessage(
          `Now using ${versionName(target).toLowerCase()}: ${plural(r.facesMoved, 'face')} ` +
            `changed person${restored}; ${r.people} people. Undo it in History or with Ctrl+Z.`,
        );
        setReload((n) => n + 1);
        refresh();
      },
    );

  /** "Use this version": asks first, saying what it will do (forecast asked now), then switches. */
  const use = (target: ModelVersionDto): void => {
    const active = versions.data?.find((v) => v.active)?.version ?? 0;
    act(
      `use-${target.version}`,
      () => api.forecastModelVersion({ version: target.version }),
      (f) => {
        if (window.confirm(useVersionQuestion(target, active, f))) apply(target);
      },
    );
  };

  const discard = (v: number, confirmFirst: boolean): void => {
    if (confirmFirst && !window.confirm(`Discard version ${v}? It cannot be used again afterwards.`)) return;
    act(
      `discard-${v}`,
      () => api.discardModelVersion({ version: v }),
      () => {
        setMessage(`Version ${v} discarded.`);
        setReload((n) => n + 1);
        loadStatus();
      },
    );
  };

  const list = versions.data ?? [];
  const running = status?.running ?? false;
  const report = status?.report ?? null;
  const outcome = status ? outcomeLine(status) : null;
  const undecided =
    report !== null && !running && versions.data !== undefined && reportState(report, list) === 'undecided';
  const forecastFor = undecided ? report.version : null;

  useEffect(() => {
    setForecast(null);
    if (forecastFor === null) return;
    let live = true;
    api.forecastModelVersion({ version: forecastFor }).then((f) => live && setForecast(f), showError);
    return () => {
      live = false;
    };
  }, [api, forecastFor, version, reload, showError]);
  const labels = status?.labels;
  const needs = labels ? needsLine(labels) : null;

  return (
    <section className="view" aria-label="Improve recognition">
      <header className="view-header">
        <h1>Improve recognition</h1>
        <span className="muted">Learn from the faces you confirmed.</span>
      </header>

      {labels && needs && !running ? (
        <div className="tuning-needs" data-testid="tuning-needs" role="status">
          <p>
            <strong>Not enough confirmed faces to learn from yet.</strong> {needs}
          </p>
          <p className="muted">
            Confirm faces in People or Unsorted (name a group, or press C on faces that are right); the held-out
            before/after figures need several people with several faces each to mean anything.
            {labels.reason && !labels.reason.startsWith('not enough') && <> Also: {labels.reason}.</>}
          </p>
        </div>
      ) : (
        <p data-testid="tuning-labels">{labels ? labelsLine(labels) : '\u00a0'}</p>
      )}

      {(needs === null || running) && (
        <div className="tuning-start">
          <label className="check">
            <input
              type="checkbox"
              checked={harmonic}
              disabled={running}
              onChange={(e) => setHarmonic(e.target.checked)}
            />{' '}
            Keep compatible with current faces (harmonic)
          </label>
          <div className="row">
            <button type="button" className="primary" disabled={running || busy !== null || !status} onClick={start}>
              {running ? 'Training…' : 'Start training'}
            </button>
            {running && (
              <button
                type="button"
                disabled={busy !== null}
                onClick={() =>
                  act(
                    'cancel',
                    () => api.tuneCancel(),
                    () => undefined,
                  )
                }
              >
                Cancel
              </button>
            )}
          </div>
        </div>
      )}

      {running && status && (
        <div className="progress" data-testid="tuning-progress">
          <div
            className="progress-track"
            role="progressbar"
            aria-label="Training progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(progressFraction(status.progress) * 100)}
          >
            <div className="progress-fill" style={{ width: `${progressFraction(status.progress) * 100}%` }} />
          </div>
          <div className="progress-text num" aria-live="polite">
            {status.progress ? progressLine(status.progress) : 'Starting…'}
          </div>
        </div>
      )}
      {outcome && (
        <p
          className={status?.outcome === 'failed' ? 'error' : 'muted'}
          role={status?.outcome === 'failed' ? 'alert' : 'status'}
        >
          {outcome}
        </p>
      )}

      {report && !running && (
        <ReportPanel
          report={report}
          state={versions.data ? reportState(report, list) : 'undecided'}
          forecast={forecastFor === report.version ? forecast : null}
          busy={busy !== null}
          onApply={() => {
            const v = list.find((x) => x.version === report.version);
            if (v) apply(v);
          }}
          onDiscard={() => discard(report.version, false)}
        />
      )}

      <p className="muted" role="status" data-testid="tuning-message">
        {message ?? '\u00a0'}
      </p>

      <h2>Versions</h2>
      <table className="versions" data-testid="model-versions">
        <thead>
          <tr>
            <th>Version</th>
            <th>Created</th>
            <th>Trained</th>
            <th title="Held-out VAL at FAR 1e-3">Correct matches at 1 wrong in 1,000, before → after</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.map((v) => (
            <tr key={v.version} data-version={v.version} className={v.active ? 'active' : ''}>
              <td>{versionName(v)}</td>
              <td className="num">{versionDate(v)}</td>
              <td className="muted">{versionOrigin(v) || '—'}</td>
              <td className="num">{v.report ? valWithSample(v.report) : '—'}</td>
              <td>
                <div className="version-actions">
                  {v.active ? (
                    <span className="tag tag-active">In use</span>
                  ) : (
                    <>
                      <button type="button" disabled={running || busy !== null} onClick={() => use(v)}>
                        Use this version
                      </button>
                      {v.version !== 0 && (
                        <button type="button" disabled={busy !== null} onClick={() => discard(v.version, true)}>
                          Discard
                        </button>
                      )}
                    </>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        Using a version re-embeds every face from its stored features and re-groups people; names, confirmed faces and
        “not this person” decisions are always kept. Version 0 restores the shipped model exactly; going back to a
        version you have not changed anything since brings its people back as they were. Every switch is in History.
      </p>
    </section>
  );
}

function ReportPanel(props: {
  report: TuneReportDto;
  state: 'undecided' | 'applied' | 'discarded';
  forecast: ModelVersionForecastDto | null;
  busy: boolean;
  onApply: () => void;
  onDiscard: () => void;
}) {
  const { report, state } = props;
  if (state === 'discarded') return null;
  const lines = reportLines(report, props.forecast);
  return (
    <div className="tuning-report" data-testid="tune-report">
      <h2>
        Version {report.version}: before → after
        {state === 'applied' && <span className="tag tag-active">in use</span>}
      </h2>
      <p>{verdict(report)}</p>
      <dl>
        {lines.map((line) => (
          <div key={line.key} data-line={line.key}>
            <dt title={line.hint}>{line.label}</dt>
            <dd className="num">{line.value}</dd>
          </div>
        ))}
      </dl>
      <details className="tuning-details">
        <summary>Details: what each figure is</summary>
        <ul className="compact-list muted">
          {lines.map((line) => (
            <li key={line.key}>
              {line.label}: {line.hint}
            </li>
          ))}
        </ul>
      </details>
      {state === 'undecided' && (
        <div className="row">
          <button type="button" className="primary" disabled={props.busy} onClick={props.onApply}>
            Apply
          </button>
          <button type="button" disabled={props.busy} onClick={props.onDiscard}>
            Discard
          </button>
          <span className="muted">Nothing changes until you apply it.</span>
        </div>
      )}
      {state === 'undecided' && (
        <p className="muted" data-testid="tune-forecast">
          {props.forecast
            ? `If you apply it now: ${forecastSentence(props.forecast)}`
            : 'Working out what Apply would change…'}
        </p>
      )}
    </div>
  );
}
