/**
 * Photos: every photo of the library newest first (capture date, else file date), also those without faces,
 * so any photo can be opened to name its faces or draw a missed one. Narrowed to one library folder, and to
 * the photos of one person or of several people together (all of them in the photo). The filter lives in the
 * address (#/photos?folder=3&people=1,2), so Back returns to it from a photo.
 */
import { useCallback, useEffect, useState } from 'react';
import type { PersonSummaryDto } from '../../src-shared/api.js';
import { useApp } from '../app-context.js';
import { personLabel } from '../logic/format.js';
import { formatMonth, photoCount, photosTitle } from '../logic/photo-pages.js';
import { useLoad } from '../use-load.js';
import { PersonPicker } from './PersonPicker.js';
import { PhotoGrid } from './PhotoGrid.js';

export function PhotosView({ folderId, personIds }: { folderId?: number; personIds?: number[] }) {
  const { api, version, navigate } = useApp();
  const folders = useLoad(() => api.listFolders(), [api, version]);
  const people = useLoad(() => api.listPeople({ includeHidden: true }), [api, version]);
  const [total, setTotal] = useState<number | null>(null);
  const [topDate, setTopDate] = useState<string | null>(null);
  const chosen = personIds ?? [];
  const byId = new Map((people.data ?? []).map((p: PersonSummaryDto) => [p.id, p]));
  const names = chosen.map((id) => personLabel(byId.get(id) ?? { id, name: null }));
  const folder = folderId === undefined ? null : (folders.data?.find((f) => f.id === folderId) ?? null);
  const title = photosTitle(names, folder ? folder.path : null);

  const show = (next: { folderId?: number | undefined; personIds?: number[] }): void => {
    const f = 'folderId' in next ? next.folderId : folderId;
    const p = 'personIds' in next ? next.personIds : personIds;
    navigate({
      view: 'photos',
      ...(f !== undefined ? { folderId: f } : {}),
      ...(p && p.length > 0 ? { personIds: p } : {}),
    });
  };
  // A person merged away or a folder removed since the address was made: leave them out of the filter rather
  // than ask for them (the grid waits for the lists before it asks).
  const known = people.data !== undefined && folders.data !== undefined;
  const stalePeople = known ? chosen.filter((id) => !byId.has(id)) : [];
  const staleFolder = known && folderId !== undefined && folder === null;
  useEffect(() => {
    if (stalePeople.length === 0 && !staleFolder) return;
    show({
      ...(staleFolder ? { folderId: undefined } : {}),
      personIds: chosen.filter((id) => !stalePeople.includes(id)),
    });
  });
  const onTotal = useCallback((n: number) => setTotal(n), []);
  const onTopDate = useCallback((d: string | null) => setTopDate(d), []);

  return (
    <section className="view view-fill" aria-label="Photos">
      <header className="view-header">
        <h1>Photos</h1>
        <span className="muted num" data-testid="photos-count">
          {total === null ? '\u00a0' : photoCount(total)}
        </span>
        <div className="spacer" />
        <span className="muted num" aria-live="off" data-testid="photos-top-date">
          {topDate ? formatMonth(topDate) : ''}
        </span>
      </header>
      <div className="photos-filters row">
        <label className="check">
          Folder
          <select
            aria-label="Folder"
            value={folderId ?? ''}
            onChange={(e) => show({ folderId: e.target.value === '' ? undefined : Number(e.target.value) })}
          >
            <option value="">All folders</option>
            {(folders.data ?? []).map((f) => (
              <option key={f.id} value={f.id}>
                {f.path}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">People</span>
        <ul className="chips" aria-label="People in the photos">
          {chosen.map((id, i) => (
            <li key={id} className="chip">
              <span>{names[i]}</span>
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove ${names[i]}`}
                onClick={() => show({ personIds: chosen.filter((x) => x !== id) })}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <PersonPicker
          id="photos-add-person"
          label={chosen.length === 0 ? 'Photos of…' : 'Add a person…'}
          allowNew={false}
          onPick={(to) => {
            if ('personId' in to && !chosen.includes(to.personId)) show({ personIds: [...chosen, to.personId] });
          }}
        />
        {(chosen.length > 0 || folderId !== undefined) && (
          <button type="button" onClick={() => show({ folderId: undefined, personIds: [] })}>
            Show all photos
          </button>
        )}
      </div>
      <p className="muted photos-title" data-testid="photos-title">
        {title}
        {chosen.length > 1 ? ': only photos where all of them appear' : ''} · newest first
      </p>
      {total === 0 && (
        <div className="empty" data-testid="photos-empty">
          {chosen.length > 0 || folderId !== undefined ? (
            <p>No photos match. Remove a person or choose another folder.</p>
          ) : (
            <>
              <p>No photos yet. Add a folder of photos in the Library.</p>
              <button type="button" className="primary" onClick={() => navigate({ view: 'library' })}>
                Go to Library
              </button>
            </>
          )}
        </div>
      )}
      {(known || (chosen.length === 0 && folderId === undefined)) && stalePeople.length === 0 && !staleFolder && (
        <PhotoGrid
          query={{
            ...(folderId !== undefined ? { folderId } : {}),
            ...(chosen.length > 0 ? { personIds: chosen } : {}),
          }}
          label={title}
          onOpen={(photo, at) =>
            navigate({
              view: 'photo',
              id: photo.id,
              list: {
                ...(folderId !== undefined ? { folderId } : {}),
                ...(chosen.length > 0 ? { personIds: chosen } : {}),
                at,
              },
            })
          }
          onTotal={onTotal}
          onTopDate={onTopDate}
        />
      )}
    </section>
  );
}
