import { useState } from 'react';
import { useApp } from '../app-context.js';
import { sortPeople } from '../logic/format.js';
import { useLoad } from '../use-load.js';
import { PersonCard } from './PersonCard.js';
import { plural } from '../../src-shared/words.js';

export function PeopleView() {
  const { api, version, navigate, did, showError } = useApp();
  const [search, setSearch] = useState('');
  const [confirmingBulk, setConfirmingBulk] = useState(false);
  const [showHidden, setShowHidden] = useState(false);
  const people = useLoad(
    () => api.listPeople({ includeHidden: showHidden, ...(search.trim() ? { search: search.trim() } : {}) }),
    [api, version, search, showHidden],
  );
  const { named, unnamed } = sortPeople(people.data ?? []);
  const total = (people.data ?? []).length;
  // Bulk ignore: unnamed, visible people of one face are mostly strangers in the background.
  const oneFace = unnamed.filter((p) => p.faceCount === 1 && !p.hidden);
  const ignoreOneFace = (): void => {
    setConfirmingBulk(false);
    if (oneFace.length)
      api.ignorePeople({ personIds: oneFace.map((p) => p.id), reason: 'stranger' }).then(did, showError);
  };

  return (
    <section className="view" aria-label="People">
      <header className="view-header">
        <h1>People</h1>
        <span className="muted num" data-testid="people-count">
          {people.data ? plural(total, 'person', 'people') : '\u00a0'}
        </span>
        <div className="spacer" />
        <input
          type="search"
          aria-label="Search people by name"
          placeholder="Search by name"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <label className="check">
          <input type="checkbox" checked={showHidden} onChange={(e) => setShowHidden(e.target.checked)} /> Show hidden
        </label>
      </header>
      {oneFace.length > 0 && !search.trim() && (
        <div className="toolbar" role="toolbar" aria-label="Bulk actions">
          {confirmingBulk ? (
            <>
              <span role="status">
                Ignore {plural(oneFace.length, 'unnamed person', 'unnamed people')} with 1 face as strangers? They move
                to Ignored; Ctrl+Z undoes.
              </span>
              <button type="button" className="primary" onClick={ignoreOneFace} autoFocus>
                Ignore {oneFace.length}
              </button>
              <button type="button" onClick={() => setConfirmingBulk(false)}>
                Cancel
              </button>
            </>
          ) : (
            <button type="button" onClick={() => setConfirmingBulk(true)}>
              Ignore unnamed people with 1 face ({oneFace.length})…
            </button>
          )}
        </div>
      )}
      {people.error && <p className="error">{people.error}</p>}
      {people.data && total === 0 && search && <p className="empty muted">Nobody matches that name.</p>}
      {people.data && total === 0 && !search && (
        <div className="empty" data-testid="people-empty">
          <p className="muted">
            No people yet. Add a folder of photos and index it; people appear here as faces are found.
          </p>
          <button type="button" className="primary" autoFocus onClick={() => navigate({ view: 'library' })}>
            Add photos in Library
          </button>
        </div>
      )}
      {named.length > 0 && (
        <>
          <h2>Named</h2>
          <div className="people-grid" data-testid="named-people">
            {named.map((p) => (
              <PersonCard key={p.id} person={p} />
            ))}
          </div>
        </>
      )}
      {unnamed.length > 0 && (
        <>
          <h2>Unnamed · largest first</h2>
          <div className="people-grid" data-testid="unnamed-people">
            {unnamed.map((p) => (
              <PersonCard key={p.id} person={p} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
