import { useEffect, useState } from 'react';
import type { MergeSuggestionDto, PersonSummaryDto } from '../../src-shared/api.js';
import { useApp } from '../app-context.js';
import { personLabel } from '../logic/format.js';
import { isTyping } from '../logic/keys.js';
import { mergeTarget } from '../logic/merge-target.js';
import { useLoad } from '../use-load.js';
import { plural } from '../../src-shared/words.js';

/** Pairs asked for: the whole list as the rule cuts it (docs/merge-suggestions.md), up to this many. */
const SHOWN = 100;

/** One side of a pair: who, how many faces, and a few typical faces to compare with the other side. */
function SuggestionSide({ person, faceIds }: { person: PersonSummaryDto; faceIds: number[] }) {
  const { transport } = useApp();
  return (
    <div className="suggestion-side" data-person-id={person.id}>
      <a className="suggestion-name" href={`#/person/${person.id}`}>
        <span className="person-card-name">{personLabel(person)}</span>{' '}
        <span className="muted num">{plural(person.faceCount, 'face')}</span>
      </a>
      <div className="suggestion-faces" data-testid="suggestion-faces">
        {faceIds.map((id) => (
          <img key={id} src={transport.thumbUrl(id)} alt="" loading="lazy" width={72} height={72} data-face-id={id} />
        ))}
      </div>
    </div>
  );
}

export function MergeView() {
  const { api, version, did, showError, refresh } = useApp();
  const list = useLoad(() => api.mergeSuggestions({ limit: SHOWN }), [api, version]);
  const [done, setDone] = useState<Set<string>>(new Set());
  const items = (list.data ?? []).filter((s) => !done.has(`${s.a.id}-${s.b.id}`));

  const accept = (s: MergeSuggestionDto): void => {
    const { targetId, sourceId } = mergeTarget(s);
    setDone((d) => new Set(d).add(`${s.a.id}-${s.b.id}`));
    api.mergePeople({ targetId, sourceIds: [sourceId] }).then(did, showError);
  };
  const dismiss = (s: MergeSuggestionDto): void => {
    setDone((d) => new Set(d).add(`${s.a.id}-${s.b.id}`));
    api.dismissSuggestion({ a: s.a.id, b: s.b.id }).then(refresh, showError);
  };

  useEffect(() => {
    const first = items[0];
    const onKey = (e: KeyboardEvent): void => {
      if (!first || isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key.toLowerCase() === 'a') accept(first);
      else if (e.key.toLowerCase() === 'd') dismiss(first);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <section className="view" aria-label="Merge suggestions">
      <header className="view-header">
        <h1>Suggestions</h1>
        <span className="muted">
          People who may be one person, most likely first. Same person? <kbd>A</kbd> yes · <kbd>D</kbd> no (first pair)
        </span>
      </header>
      {list.error && <p className="error">{list.error}</p>}
      {list.data && items.length === 0 && <p className="muted empty">No suggestions right now.</p>}
      <ul className="suggestions">
        {items.map((s) => (
          <li key={`${s.a.id}-${s.b.id}`} className="suggestion" data-testid="suggestion">
            <SuggestionSide person={s.a} faceIds={s.aFaceIds} />
            <div className="suggestion-mid">
              <button type="button" className="primary" onClick={() => accept(s)}>
                Same person
              </button>
              <button type="button" onClick={() => dismiss(s)}>
                Not the same
              </button>
            </div>
            <SuggestionSide person={s.b} faceIds={s.bFaceIds} />
          </li>
        ))}
      </ul>
    </section>
  );
}
