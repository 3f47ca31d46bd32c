import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { type ApiEvent, type IndexProgressDto, type UndoEntryDto } from '../src-shared/api.js';
import { createApi, type ConnectionState, type Transport } from './api/client.js';
import { AppContext, type AppContextValue } from './app-context.js';
import { dismissError, pushError, type ErrorToast } from './logic/error-toasts.js';
import { parseRoute, routeHash, type Route } from './logic/format.js';
import { isTyping } from './logic/keys.js';
import { INITIAL_UNDO, isUndoKey, undoReducer } from './logic/undo.js';
import { LibraryView } from './views/LibraryView.js';
import { MergeView } from './views/MergeView.js';
import { PeopleView } from './views/PeopleView.js';
import { PersonView } from './views/PersonView.js';
import { PhotoView } from './views/PhotoView.js';
import { PhotosView } from './views/PhotosView.js';
import { RecognitionView } from './views/RecognitionView.js';
import { ReviewView } from './views/ReviewView.js';
import { SettingsView } from './views/SettingsView.js';
import { ThresholdView } from './views/ThresholdView.js';
import { UndoView } from './views/UndoView.js';
import { UnsortedView } from './views/UnsortedView.js';
import { IgnoredView } from './views/IgnoredView.js';
import { ProgressBar } from './views/ProgressBar.js';
import { NoAccessPage, StoppedBanner } from './views/ConnectionNotices.js';
import { ErrorToastView } from './views/ErrorToastView.js';

const NAV: Array<{ view: Route['view']; label: string }> = [
  { view: 'people', label: 'People' },
  { view: 'photos', label: 'Photos' },
  { view: 'review', label: 'Review' },
  { view: 'unsorted', label: 'Unsorted' },
  { view: 'ignored', label: 'Ignored' },
  { view: 'merge', label: 'Suggestions' },
  { view: 'library', label: 'Library' },
  { view: 'threshold', label: 'Threshold' },
  { view: 'recognition', label: 'Recognition' },
  { view: 'settings', label: 'Settings' },
  { view: 'undo', label: 'History' },
];

export function App({ transport }: { transport: Transport }) {
  const api = useMemo(() => createApi(transport), [transport]);
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  const [version, setVersion] = useState(0);
  const [progress, setProgress] = useState<IndexProgressDto | null>(null);
  const [undoState, dispatchUndo] = useReducer(undoReducer, INITIAL_UNDO);
  const [errors, setErrors] = useState<ErrorToast[]>([]);
  const [connection, setConnection] = useState<ConnectionState>('ok');
  const errorSeq = useRef(0);
  const bumpTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    const onHash = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const refresh = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    // Events can come in bursts while indexing: coalesce refreshes to at most one per 700 ms.
    // The status read at start is older than any indexing event that arrives before its answer.
    let indexingEventSeen = false;
    const off = transport.subscribe((event: ApiEvent) => {
      if (event.type.startsWith('indexing-')) indexingEventSeen = true;
      if (event.type === 'indexing-progress') setProgress(event.progress);
      if (event.type === 'indexing-finished') setProgress(null);
      if (event.type === 'indexing-failed') {
        setProgress(null);
        setErrors((list) => pushError(list, event.message, ++errorSeq.current));
      }
      if (event.type === 'library-changed' || event.type === 'indexing-finished' || event.type === 'indexing-failed') {
        if (!bumpTimer.current) {
          bumpTimer.current = setTimeout(() => {
            bumpTimer.current = null;
            refresh();
          }, 700);
        }
      }
    });
    api.status().then(
      (s) => {
        if (!indexingEventSeen) setProgress(s.indexing);
      },
      () => {},
    );
    return off;
  }, [transport, api, refresh]);

  useEffect(() => transport.onConnection?.(setConnection), [transport]);

  const showError = useCallback((e: unknown) => {
    const msg = e instanceof Error ? e.message : String(e); // an ApiError is an Error
    setErrors((list) => pushError(list, msg, ++errorSeq.current));
  }, []);

  // Escape closes the newest error toast, unless something on the page used the key (the grid, a pending
  // merge). Also from a text field: after "Add folder" fails, the focus is still in the path field.
  // One listener for the page's life that reads the list when the key comes: a listener re-attached per
  // toast would miss an Escape pressed between the toast's paint and the effect that follows it.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      setErrors((list) => (list.length === 0 ? list : list.slice(0, -1)));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const navigate = useCallback((r: Route) => {
    window.location.hash = routeHash(r);
  }, []);

  const did = useCallback(
    (entry: UndoEntryDto) => {
      dispatchUndo({ type: 'did', entry });
      refresh();
    },
    [refresh],
  );

  const busyRef = useRef(false);
  const undo = useCallback(() => {
    if (busyRef.current) return;
    busyRef.current = true;
    dispatchUndo({ type: 'undo-start' });
    api.undo().then(
      (entry) => {
        busyRef.current = false;
        dispatchUndo({ type: 'undo-done', entry });
        refresh();
      },
      (e: unknown) => {
        busyRef.current = false;
        dispatchUndo({ type: 'undo-failed', message: e instanceof Error ? e.message : String(e) });
      },
    );
  }, [api, refresh]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (isUndoKey(e, isTyping(e.target))) {
        e.preventDefault();
        undo();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo]);

  useEffect(() => {
    if (!undoState.toast && !undoState.notice) return;
    const t = setTimeout(() => dispatchUndo({ type: 'dismiss' }), 8000);
    return () => clearTimeout(t);
  }, [undoState.toast, undoState.notice]);

  const ctx: AppContextValue = useMemo(
    () => ({ api, transport, version, progress, navigate, did, undo, refresh, showError }),
    [api, transport, version, progress, navigate, did, undo, refresh, showError],
  );

  let view;
  switch (route.view) {
    case 'library':
      view = <LibraryView />;
      break;
    case 'people':
      view = <PeopleView />;
      break;
    case 'person':
      view = <PersonView key={route.id} personId={route.id} />;
      break;
    case 'merge':
      view = <MergeView />;
      break;
    case 'review':
      view = <ReviewView key={route.id ?? 0} personId={route.id ?? null} />;
      break;
    case 'unsorted':
      view = <UnsortedView />;
      break;
    case 'ignored':
      view = <IgnoredView />;
      break;
    case 'photo':
      view = (
        <PhotoView
          key={route.id}
          photoId={route.id}
          highlightFace={route.face ?? null}
          {...(route.list ? { list: route.list } : {})}
        />
      );
      break;
    case 'photos':
      view = (
        <PhotosView
          {...(route.folderId !== undefined ? { folderId: route.folderId } : {})}
          {...(route.personIds ? { personIds: route.personIds } : {})}
        />
      );
      break;
    case 'threshold':
      view = <ThresholdView />;
      break;
    case 'recognition':
      view = <RecognitionView />;
      break;
    case 'settings':
      view = <SettingsView />;
      break;
    case 'undo':
      view = <UndoView />;
      break;
  }

  if (connection === 'no-access') return <NoAccessPage />;

  // A photo is one of the Photos, wherever it was opened from.
  const active = route.view === 'person' ? 'people' : route.view === 'photo' ? 'photos' : route.view;
  return (
    <AppContext.Provider value={ctx}>
      <div className="app">
        <nav className="sidebar" aria-label="Main">
          <div className="brand">FaceNet Photos</div>
          <ul>
            {NAV.map((n) => (
              <li key={n.view}>
                <a
                  href={`#/${n.view}`}
                  className={active === n.view ? 'active' : ''}
                  aria-current={active === n.view ? 'page' : undefined}
                >
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
          <div className="sidebar-progress" aria-live="polite">
            <ProgressBar progress={progress} compact />
          </div>
        </nav>
        <main className="main">
          {/* Notices sit above the view, in its flow: they push it down and never cover the photo panel, a
              toolbar or the hint line at the bottom (a fixed corner toast did). */}
          <div className="notices">
            {connection === 'stopped' && <StoppedBanner />}
            {errors.map((t) => (
              <ErrorToastView
                key={t.id}
                message={t.message}
                onClose={() => setErrors((list) => dismissError(list, t.id))}
              />
            ))}
          </div>
          {view}
          {/* "Undo" after an action, at the bottom of the same column: it takes its room from the view. */}
          <div className="toasts" aria-live="polite">
            {undoState.toast && (
              <div className="toast" role="status" data-testid="undo-toast">
                <span>{undoState.toast.label}</span>
                <button type="button" className="primary" onClick={undo} disabled={undoState.busy}>
                  Undo
                </button>
                <kbd>Ctrl+Z</kbd>
                <button type="button" onClick={() => dispatchUndo({ type: 'dismiss' })} aria-label="Dismiss">
                  ×
                </button>
              </div>
            )}
            {!undoState.toast && undoState.notice && (
              <div className="toast" role="status">
                <span>{undoState.notice}</span>
                <button type="button" onClick={() => dispatchUndo({ type: 'dismiss' })} aria-label="Dismiss">
                  ×
                </button>
              </div>
            )}
          </div>
        </main>
      </div>
    </AppContext.Provider>
  );
}
