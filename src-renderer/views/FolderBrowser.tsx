/**
 * The folder picker of the browser UI (the desktop app opens the system's dialog instead): a list of the
 * subfolders of one folder, starting at the typed path or else the home folder, with ".." to go up. Open a
 * folder with a click or Enter; "Add this folder" adds the folder shown. Only folder names are ever listed
 * (browseFolders), never files. Arrow keys move in the list, Backspace goes up, Escape closes.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useApp } from '../app-context.js';
import { useLoad } from '../use-load.js';

/** A folder drawn inline (an emoji would need a colour emoji font, which many Linux systems lack). */
function FolderIcon() {
  return (
    <svg className="folder-icon" viewBox="0 0 16 16" aria-hidden="true">
      <path d="M1 3.5A1.5 1.5 0 0 1 2.5 2h3.6l1.5 1.6h5.9A1.5 1.5 0 0 1 15 5.1v7.4a1.5 1.5 0 0 1-1.5 1.5h-11A1.5 1.5 0 0 1 1 12.5z" />
    </svg>
  );
}

export function FolderBrowser({
  start,
  onPick,
  onClose,
}: {
  /** Where to open (a typed path); undefined or unreadable: the home folder. */
  start: string | undefined;
  onPick: (path: string) => void;
  onClose: () => void;
}) {
  const { api } = useApp();
  const [path, setPath] = useState<string | undefined>(start);
  const [notice, setNotice] = useState<string | null>(null);
  const listing = useLoad(
    () =>
      api.browseFolders(path === undefined ? {} : { path }).catch((e: unknown) => {
        // A typed path that is not a folder: open at home instead, and say why.
        if (path !== undefined && path === start) {
          setPath(undefined);
          setNotice(e instanceof Error ? e.message : String(e));
        }
        throw e;
      }),
    [api, path],
  );
  const list = useRef<HTMLUListElement>(null);
  const data = listing.data;
  const rows: Array<{ name: string; path: string; up?: boolean }> = data
    ? [...(data.parent !== null ? [{ name: '..', path: data.parent, up: true }] : []), ...data.folders]
    : [];

  // Each folder opened puts the keyboard on its first row.
  useEffect(() => {
    list.current?.querySelector<HTMLButtonElement>('button')?.focus();
  }, [data?.path]);

  const open = (next: string): void => {
    setNotice(null);
    setPath(next);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
      return;
    }
    const buttons = [...(list.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const move = (to: number): void => {
      e.preventDefault();
      buttons[Math.max(0, Math.min(buttons.length - 1, to))]?.focus();
    };
    if (e.key === 'ArrowDown' && at >= 0) move(at + 1);
    else if (e.key === 'ArrowUp' && at >= 0) move(at - 1);
    else if (e.key === 'Home' && at >= 0) move(0);
    else if (e.key === 'End' && at >= 0) move(buttons.length - 1);
    else if (e.key === 'Backspace' && data?.parent && (at >= 0 || document.activeElement === list.current)) {
      e.preventDefault();
      open(data.parent);
    }
  };

  return (
    <div className="dialog-backdrop">
      <div
        className="dialog folder-browser"
        role="dialog"
        aria-modal="true"
        aria-label="Choose a photo folder"
        onKeyDown={onKeyDown}
        data-testid="folder-browser"
      >
        <h2>Choose a photo folder</h2>
        <p className="path" data-testid="folder-browser-path">
          {data?.path ?? '\u00a0'}
        </p>
        {notice && <p className="muted">{notice}: showing your home folder.</p>}
        {listing.error && !data && <p className="error">{listing.error}</p>}
        <ul className="folder-browser-list" ref={list} aria-label="Folders" aria-busy={listing.loading}>
          {rows.map((r) => (
            <li key={r.path}>
              <button
                type="button"
                onClick={() => open(r.path)}
                aria-label={r.up ? 'Up to the folder above' : `Open ${r.name}`}
              >
                {r.up ? <span aria-hidden="true">↑ </span> : <FolderIcon />}
                {r.name}
              </button>
            </li>
          ))}
          {data && data.folders.length === 0 && <li className="muted">No folders inside this one.</li>}
        </ul>
        <div className="row dialog-actions">
          <button
            type="button"
            className="primary"
            disabled={!data}
            onClick={() => data && onPick(data.path)}
            data-testid="add-this-folder"
          >
            Add this folder
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <span className="muted">Enter opens a folder · Backspace goes up</span>
        </div>
      </div>
    </div>
  );
}
