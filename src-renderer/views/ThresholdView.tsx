import { useEffect, useState } from 'react';
import type { ThresholdPreviewDto } from '../../src-shared/api.js';
import { useApp } from '../app-context.js';
import { formatThreshold, personLabel } from '../logic/format.js';
import { pointAtThreshold, rocSampleWarning } from '../logic/roc.js';
import { operatingPointWords } from '../logic/plain-words.js';
import { useLoad } from '../use-load.js';
import { RocPlot } from './RocPlot.js';

export function ThresholdView() {
  const { api, version, refresh, showError, did } = useApp();
  const roc = useLoad(() => api.roc(), [api, version]);
  const settings = useLoad(() => api.getSettings(), [api, version]);
  const people = useLoad(() => api.listPeople({ includeHidden: true }), [api, version]);
  const current = settings.data?.threshold ?? roc.data?.threshold ?? 1;
  const [value, setValue] = useState<number | null>(null);
  const [preview, setPreview] = useState<ThresholdPreviewDto | null>(null);
  const [applying, setApplying] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const shown = value ?? current;
  // Until the settings arrive the threshold is unknown: say so rather than show a placeholder number.
  const loaded = settings.data !== undefined;

  useEffect(() => {
    if (value === null) return;
    const t = setTimeout(() => {
      api.previewThreshold({ threshold: value }).then((p) => {
        if (p.threshold === value) setPreview(p);
      }, showError);
    }, 150);
    return () => clearTimeout(t);
  }, [api, value, showError]);

  const names = new Map((people.data ?? []).map((p) => [p.id, personLabel(p)]));
  const name = (id: number): string => names.get(id) ?? `#${id}`;
  const op = roc.data ? pointAtThreshold(roc.data.points, shown) : null;
  const livePreview = preview && value !== null && preview.threshold === value ? preview : null;
  /** Merges and splits beyond the first 8 of each, which the list leaves out. */
  const hidden = livePreview
    ? Math.max(0, livePreview.merges.length - 8) + Math.max(0, livePreview.splits.length - 8)
    : 0;

  return (
    <section className="view" aria-label="Threshold">
      <header className="view-header">
        <h1>Threshold</h1>
        <span className="muted">How strict grouping is: how alike two faces must be to count as the same person.</span>
      </header>
      <div className="threshold-layout">
        <div>
          {roc.data && roc.data.points.length > 0 ? (
            <RocPlot roc={roc.data} current={current} preview={value} />
          ) : (
            <p className="muted roc-empty">
              The chart needs confirmed faces of at least two people. Confirm some faces in People first.
            </p>
          )}
          {roc.data && (
            <p className="muted num">
              From {roc.data.samePairs} same-person and {roc.data.differentPairs} different-person pairs of confirmed
              faces.
            </p>
          )}
          {roc.data && rocSampleWarning(roc.data.samePairs, roc.data.differentPairs) && (
            <p className="warning" data-testid="roc-warning">
              {rocSampleWarning(roc.data.samePairs, roc.data.differentPairs)}
            </p>
          )}
        </div>
        <div className="threshold-controls">
          <label htmlFor="threshold-slider">
            How strict grouping is{' '}
            <span className="num" data-testid="threshold-value">
              {loaded ? formatThreshold(shown) : '…'}
            </span>
            {loaded && <span className="muted"> (current {formatThreshold(current)})</span>}
          </label>
          <input
            id="threshold-slider"
            type="range"
            min={0.05}
            max={2}
            step={0.01}
            value={shown}
            disabled={!loaded}
            onChange={(e) => setValue(Number(e.target.value))}
          />
          <div className="muted roc-op">{op ? operatingPointWords(op) : '\u00a0'}</div>
          <div className="muted hint">
            Left is stricter (fewer wrong faces in a person), right is looser (fewer split people).
          </div>
          <details className="threshold-details">
            <summary>Details</summary>
            <p className="muted num" data-testid="threshold-technical">
              Squared L2 distance between face embeddings (0 to 4), agglomerative clustering with average linkage.
              {op
                ? ` At ${formatThreshold(shown)}: VAL ${(op.val * 100).toFixed(1)}% at FAR ${(op.far * 100).toFixed(2)}% on the pairs of confirmed faces; the chart is their ROC curve.`
                : ''}
            </p>
          </details>
          <div className="preview" aria-live="polite" data-testid="threshold-preview">
            {livePreview ? (
              <>
                <p>
                  Apply gives <strong className="num">{livePreview.people}</strong> people (now {livePreview.peopleNow})
                  · <span className="num">{livePreview.facesMoving}</span>{' '}
                  {livePreview.facesMoving === 1 ? 'face changes' : 'faces change'} person · {livePreview.merges.length}{' '}
                  merges · {livePreview.splits.length} splits
                </p>
                <ul className="compact-list">
                  {livePreview.merges.slice(0, 8).map((g) => (
                    <li key={g.join('-')}>Merge: {g.map(name).join(' + ')}</li>
                  ))}
                  {livePreview.splits.slice(0, 8).map((s) => (
                    <li key={s.personId}>
                      Split: {name(s.personId)} into {s.parts} parts
                    </li>
                  ))}
                  {hidden > 0 && <li className="muted">and {hidden} more</li>}
                </ul>
                {livePreview.splits.length > 0 && (
                  <p className="muted">A part with a single face goes to Unsorted, not to a new person.</p>
                )}
              </>
            ) : (
              <p className="muted">Move the slider to preview.</p>
            )}
          </div>
          <div className="row">
            <button
              type="button"
              className="primary"
              disabled={value === null || value === current || applying}
              onClick={() => {
                if (value === null) return;
                setApplying(true);
                api.recluster({ threshold: value }).then(
                  (r) => {
                    setApplying(false);
                    setMessage(`Applied ${formatThreshold(value)}: ${r.people} people. Undo (Ctrl+Z) puts them back.`);
                    setValue(null);
                    setPreview(null);
                    // The toast offers to undo this re-grouping, not the action before it: Undo undoes the newest.
                    api.undoStack().then((stack) => (stack[0] ? did(stack[0]) : refresh()), showError);
                  },
                  (e: unknown) => {
                    setApplying(false);
                    showError(e);
                  },
                );
              }}
            >
              {applying ? 'Applying…' : 'Apply'}
            </button>
            <button type="button" disabled={value === null} onClick={() => (setValue(null), setPreview(null))}>
              Reset
            </button>
          </div>
          <p className="muted" role="status">
            {message ??
              'Named people keep the faces you confirmed, and gain only faces within the threshold of them; “not this person” is always kept.'}
          </p>
        </div>
      </div>
    </section>
  );
}
