import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { MoveTarget, PersonSummaryDto } from '../../src-shared/api.js';
import { cleanName } from '../../src-shared/names.js';
import { useApp } from '../app-context.js';
import { personLabel } from '../logic/format.js';
import { searchPeople, typedId } from '../logic/person-search.js';
import { useLoad } from '../use-load.js';
import { plural } from '../../src-shared/words.js';

/**
 * "Move to…", "Merge into…", "Name as…", "Assign to…": a button that opens a type-ahead list of people, each
 * with their cover face and face count (named A-Z first, then the largest unnamed; at most a screenful, the
 * user narrows by typing: src-renderer/logic/person-search.ts). Enter picks the highlighted person; typed text
 * that matches nobody is a new person with that name (Enter), and Shift+Enter is always a new person. Calls
 * onPick with the target and the person's name (null for a new person without one).
 *
 * The button carries `id`, so a shortcut can focus it; a letter typed on it opens the list already filtered.
 */
/** The list's width (styles.css, .picker-popover: 22rem). */
const POPOVER_WIDTH_PX = 22 * 16;

export function PersonPicker({
  label,
  exclude,
  disabled,
  onPick,
  allowNew = true,
  id,
}: {
  label: string;
  exclude?: number;
  disabled?: boolean;
  onPick: (to: MoveTarget, name: string | null) => void;
  allowNew?: boolean;
  id: string;
}) {
  const { api, version, transport } = useApp();
  const [openWanted, setOpen] = useState(false);
  // A picker that becomes disabled (its selection was cleared) closes.
  const open = openWanted && !disabled;
  const [query, setQuery] = useState('');
  const [active, setActive] = useState<number | null>(null);
  // The list opens under the button, leftwards when there is no room for it on the right.
  const [alignRight, setAlignRight] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const listId = useId();
  const people = useLoad(() => api.listPeople({ includeHidden: true }), [api, version]);
  const candidates = useMemo(
    () => (people.data ?? []).filter((p: PersonSummaryDto) => p.id !== exclude),
    [people.data, exclude],
  );
  const found = useMemo(() => searchPeople(candidates, query), [candidates, query]);
  // "#12" asks for a person by number: a new person made from it gets no name rather than the name "#12".
  const typed = typedId(query) === null ? cleanName(query) : '';
  // Row 0 is "New person" (when allowed); people follow. Without a choice by arrow keys the first match is
  // highlighted, or "New person" when nobody matches the typed text.
  const offset = allowNew ? 1 : 0;
  const rowCount = offset + found.shown.length;
  const highlighted = active ?? (found.shown.length > 0 ? offset : allowNew ? 0 : -1);

  const close = (refocus: boolean): void => {
    setOpen(false);
    setQuery('');
    setActive(null);
    if (refocus) button.current?.focus();
  };
  const pickNew = (): void => {
    close(true);
    onPick(typed ? { newPerson: true, name: typed } : { newPerson: true }, typed || null);
  };
  const pickRow = (row: number): void => {
    if (row < 0) return;
    if (allowNew && row === 0) return pickNew();
    const p = found.shown[row - offset];
    if (!p) return;
    close(true);
    onPick({ personId: p.id }, p.name);
  };
  const openWith = (text: string): void => {
    const rect = button.current?.getBoundingClientRect();
    setAlignRight(rect !== undefined && rect.left + POPOVER_WIDTH_PX > window.innerWidth);
    setQuery(text);
    setActive(null);
    setOpen(true);
  };

  const onInputKey = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (rowCount === 0) return;
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive(((highlighted < 0 ? -1 : highlighted) + step + rowCount) % rowCount);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      // Before the list has loaded, "matches nobody" is not known yet: Enter must not make a new person.
      if (people.data === undefined) return;
      if (e.shiftKey && allowNew) pickNew();
      else pickRow(highlighted);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close(true);
    }
  };

  const optionId = (row: number): string => `${listId}-${row}`;
  useEffect(() => {
    if (open && highlighted >= 0) document.getElementById(optionId(highlighted))?.scrollIntoView({ block: 'nearest' });
  });
  return (
    <div
      className="picker"
      onBlur={(e) => {
        if (open && !e.currentTarget.contains(e.relatedTarget as Node | null)) close(false);
      }}
    >
      <button
        ref={button}
        id={id}
        type="button"
        className="picker-button"
        aria-label={label}
        aria-haspopup="listbox"
        aria-expanded={open}
        disabled={disabled}
        onClick={() => (open ? close(true) : openWith(''))}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && !open) {
            e.preventDefault();
            openWith('');
          } else if (e.key.length === 1 && e.key !== ' ' && !e.ctrlKey && !e.metaKey && !e.altKey && !open) {
            // Type-ahead straight from the button: the letter starts the filter.
            e.preventDefault();
            e.stopPropagation();
            openWith(e.key);
          }
        }}
      >
        {label}
      </button>
      {open && (
        <div className={`picker-popover${alignRight ? ' picker-popover-right' : ''}`}>
          <input
            className="picker-input"
            role="combobox"
            aria-label="Who? Type a name or #number"
            aria-expanded
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={highlighted >= 0 ? optionId(highlighted) : undefined}
            placeholder="Type a name, or #12"
            value={query}
            autoFocus
            onChange={(e) => {
              setQuery(e.target.value);
              setActive(null);
            }}
            onKeyDown={onInputKey}
          />
          <ul className="picker-list" role="listbox" id={listId} aria-label="People">
            {allowNew && (
              <li
                id={optionId(0)}
                role="option"
                aria-selected={highlighted === 0}
                className="picker-option picker-new"
                onMouseDown={(e) => e.preventDefault()}
                onClick={pickNew}
              >
                <span className="picker-cover picker-plus" aria-hidden="true">
                  +
                </span>
                <span className="picker-name">{typed ? `New person "${typed}"` : 'New person'}</span>
                <kbd className="muted">{found.shown.length > 0 ? 'Shift+Enter' : 'Enter'}</kbd>
              </li>
            )}
            {found.shown.map((p, i) => (
              <li
                key={p.id}
                id={optionId(i + offset)}
                role="option"
                aria-selected={highlighted === i + offset}
                className="picker-option"
                data-person-id={p.id}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pickRow(i + offset)}
              >
                {p.coverFaceId !== null ? (
                  <img className="picker-cover" src={transport.thumbUrl(p.coverFaceId)} alt="" loading="lazy" />
                ) : (
                  <span className="picker-cover" aria-hidden="true" />
                )}
                <span className="picker-name">{personLabel(p)}</span>
                <span className="muted num picker-count">
                  {plural(p.faceCount, 'face')}
                  {p.hidden ? ' · hidden' : ''}
                </span>
              </li>
            ))}
          </ul>
          <p className="picker-note muted" aria-live="polite">
            {people.data === undefined
              ? 'Loading people…'
              : found.total > found.shown.length
                ? `${found.shown.length} of ${found.total} shown: type to narrow`
                : found.total === 0 && query.trim()
                  ? `Nobody matches "${query.trim()}"${allowNew ? ': Enter makes a new person' : ''}`
                  : plural(found.total, 'person', 'people')}
          </p>
        </div>
      )}
    </div>
  );
}
