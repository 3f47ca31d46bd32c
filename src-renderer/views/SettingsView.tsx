import { useEffect, useRef, useState } from 'react';
import type { SettingsDto } from '../../src-shared/api.js';
import { useApp } from '../app-context.js';
import {
  ALL_PROVIDERS,
  detectorWords,
  embedderWords,
  gpuMode,
  providersFor,
  type GpuMode,
} from '../logic/plain-words.js';
import { useLoad } from '../use-load.js';

const DETECTORS = ['blazeface-full', 'blazeface-short', 'ssd'];
const EMBEDDERS = ['dlib', 'mobileface', 'faceres', 'dlib+mobileface'];

export function SettingsView() {
  const { api, version, showError, refresh } = useApp();
  const settings = useLoad(() => api.getSettings(), [api, version]);
  const status = useLoad(() => api.status(), [api, version]);
  const [draft, setDraft] = useState<SettingsDto | null>(null);
  const [saved, setSaved] = useState(false);
  // What the user has typed and not saved yet. Settings reload on every library change (often, while
  // indexing): a reload shows the stored values only while nothing is being edited, never over the edits.
  const editing = useRef(false);
  useEffect(() => {
    if (settings.data && !editing.current) setDraft(settings.data);
  }, [settings.data]);

  if (!draft)
    return (
      <section className="view">
        <h1>Settings</h1>
      </section>
    );
  const set = (patch: Partial<SettingsDto>): void => {
    setDraft({ ...draft, ...patch });
    editing.current = true;
    setSaved(false);
  };
  const options = (list: string[], value: string): string[] => (list.includes(value) ? list : [value, ...list]);
  // Only what this installation has models for (the packaged app ships the default pipeline only).
  const choices = status.data?.choices;
  const detectors = choices ? DETECTORS.filter((d) => choices.detectors.includes(d)) : DETECTORS;
  const embedders = choices
    ? EMBEDDERS.filter((e) => e.split('+').every((part) => choices.embedders.includes(part)))
    : EMBEDDERS;

  return (
    <section className="view" aria-label="Settings">
      <header className="view-header">
        <h1>Settings</h1>
      </header>
      <form
        className="settings"
        onSubmit={(e) => {
          e.preventDefault();
          api.updateSettings(draft).then((stored) => {
            editing.current = false;
            setDraft(stored);
            setSaved(true);
            refresh();
          }, showError);
        }}
      >
        <label>
          Face finder
          <select value={draft.detector} onChange={(e) => set({ detector: e.target.value })}>
            {options(detectors, draft.detector).map((d) => (
              <option key={d} value={d}>
                {detectorWords(d)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Face recognition
          <select value={draft.embedder} onChange={(e) => set({ embedder: e.target.value })}>
            {options(embedders, draft.embedder).map((d) => (
              <option key={d} value={d}>
                {embedderWords(d)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Use the graphics card
          <select
            value={gpuMode(draft.providers)}
            onChange={(e) => set({ providers: providersFor(e.target.value as GpuMode, draft.providers) })}
          >
            <option value="automatic">Automatic (when there is one that works)</option>
            <option value="off">Off (the processor only)</option>
          </select>
        </label>
        <label>
          How strict grouping is
          <input
            type="number"
            min={0.1}
            max={4}
            step={0.00125}
            value={draft.threshold}
            aria-describedby="threshold-hint"
            onChange={(e) => set({ threshold: Number(e.target.value) })}
          />
        </label>
        <p className="muted hint" id="threshold-hint">
          Lower is stricter: fewer wrong faces in a person, but one person may be split in two.{' '}
          <a href="#/threshold">Threshold</a> shows what a change would do before you apply it.
        </p>
        <details className="settings-details">
          <summary>Details</summary>
          <p className="muted num" data-testid="settings-technical">
            Face finder model {draft.detector} · face recognition model {draft.embedder} · grouping threshold{' '}
            {draft.threshold} (squared L2 distance between face embeddings, 0 to 4; agglomerative clustering, average
            linkage)
          </p>
          <fieldset>
            <legend>Execution providers, in order of preference</legend>
            {ALL_PROVIDERS.map((p) => (
              <label key={p} className="check">
                <input
                  type="checkbox"
                  checked={draft.providers.includes(p)}
                  disabled={p === 'cpu'}
                  onChange={(e) => {
                    const next = e.target.checked ? [...draft.providers, p] : draft.providers.filter((x) => x !== p);
                    set({ providers: ALL_PROVIDERS.filter((x) => next.includes(x) || x === 'cpu') });
                  }}
                />{' '}
                {p}
              </label>
            ))}
          </fieldset>
          <label>
            Quality floor: faces below it never link people; each joins a person only when clearly theirs (0–1)
            <input
              type="number"
              min={0}
              max={1}
              step={0.05}
              value={draft.minQuality}
              onChange={(e) => set({ minQuality: Number(e.target.value) })}
            />
          </label>
          <label>
            Minimum cluster size: the fewest faces that make a person
            <input
              type="number"
              min={1}
              max={100}
              step={1}
              value={draft.minClusterSize}
              onChange={(e) => set({ minClusterSize: Math.round(Number(e.target.value)) })}
            />
          </label>
        </details>
        <div className="row">
          <button type="submit" className="primary">
            Save
          </button>
          <span className="muted" role="status">
            {saved ? 'Saved. Model changes apply at the next indexing.' : '\u00a0'}
          </span>
        </div>
      </form>

      <h2>Where the work runs</h2>
      <table className="providers">
        <thead>
          <tr>
            <th>Model</th>
            <th>Running on</th>
            <th>Not used</th>
          </tr>
        </thead>
        <tbody>
          {(status.data?.providers ?? []).map((p) => (
            <tr key={p.model}>
              <td>{p.model}</td>
              <td>
                <span className={`tag ${p.provider === 'cpu' ? '' : 'tag-gpu'}`}>
                  {p.provider === 'cpu' ? 'CPU' : `GPU (${p.provider})`}
                </span>
              </td>
              <td className="muted">{p.fallbacks.map((f) => `${f.provider}: ${f.reason}`).join('; ') || '—'}</td>
            </tr>
          ))}
          {status.data && status.data.providers.length === 0 && (
            <tr>
              <td colSpan={3} className="muted">
                No model loaded yet (models load when indexing starts).
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <p className="muted">Model version: {status.data?.modelVersion ?? '…'}</p>
    </section>
  );
}
