import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { IgnoreReasonDto, MoveTarget } from '../../src-shared/api.js';
import { useApp } from '../app-context.js';
import { ignoreReasonForKey } from '../logic/ignore-keys.js';
import { personLabel } from '../logic/format.js';
import { isTyping } from '../logic/keys.js';
import { describePending, type PendingAction } from '../logic/pending-action.js';
import { EMPTY_SELECTION, pruneSelection, selectAll, selectedInOrder, type Selection } from '../logic/selection.js';
import { subgroupRows } from '../logic/subgroups.js';
import { useLoad } from '../use-load.js';
import { ConfirmBar } from './ConfirmBar.js';
import { ExportDialog } from './ExportDialog.js';
import { FaceGrid } from './FaceGrid.js';
import { IgnoreButtons } from './IgnoreButtons.js';
import { PersonPicker } from './PersonPicker.js';
import { SubgroupList } from './SubgroupList.js';
import { plural } from '../../src-shared/words.js';

export function PersonView({ personId }: { personId: number }) {
  const { api, version, did, showError, navigate } = useApp();
  const detail = useLoad(() => api.getPerson({ personId }), [api, personId, version]);
  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState('');
  const [exporting, setExporting] = useState(false);
  const [pending, setPending] = useState<PendingAction | null>(null);
  const [newName, setNewName] = useState('');
  // "Group by similarity": the engine's sub-groups, largest first; the grid shows the faces group after group.
  const [grouped, setGrouped] = useState(false);
  const subgroups = useLoad(
    () => (grouped ? api.personSubgroups({ personId }) : Promise.resolve(null)),
    [api, personId, version, grouped],
  );
  const groups = useMemo(
    () => (grouped && subgroups.data ? subgroupRows(subgroups.data.groups) : null),
    [grouped, subgroups.data],
  );
  const faces = useMemo(
    () =>
      groups ? [...groups.flatMap((g) => g.faces), ...(subgroups.data?.otherModel ?? [])] : (detail.data?.faces ?? []),
    [groups, subgroups.data, detail.data],
  );
  const ids = useMemo(() => faces.map((f) => f.id), [faces]);
  useEffect(() => setSelection((s) => pruneSelection(s, ids)), [ids]);

  const person = detail.data?.person;
  const selected = selectedInOrder(selection, ids);
  const toReview = person && person.name !== null ? person.faceCount - person.confirmedCount : 0;

  /** Selects every face of sub-group `index` (and puts the grid's focus on its first face). */
  const selectGroup = (index: number): void => {
    const g = groups?.[index];
    if (!g) return;
    const start = groups.slice(0, index).reduce((n, x) => n + x.faces.length, 0);
    setSelection({ selected: new Set(g.faces.map((f) => f.id)), anchor: start, focus: start });
  };
  const selectedGroup = groups
    ? groups.findIndex((g) => g.faces.length === selected.length && g.faces.every((f) => selection.selected.has(f.id)))
    : -1;

  const run = <T,>(p: Promise<T>, after?: (r: T) => void): void => {
    p.then((r) => {
      after?.(r);
    }, showError);
  };

  const confirm = (): void => {
    if (selected.length) run(api.confirmFaces({ faceIds: selected, personId }), did);
  };
  const reject = (): void => {
    if (selected.length) run(api.rejectFaces({ faceIds: selected, personId }), did);
  };
  const ignore = (reason: IgnoreReasonDto): void => {
    if (selected.length) run(api.ignoreFaces({ faceIds: selected, reason }), did);
  };
  const setCover = (): void => {
    if (selected.length === 1) run(api.setCover({ personId, faceId: selected[0]! }), did);
  };

  // Picking in "Merge into…" or "Move to…" only chooses: the confirm bar says what will happen and does it.
  const choose = (kind: PendingAction['kind'], to: MoveTarget, name: string | null): void => {
    if ('newPerson' in to) setPending({ kind, target: 'new', targetLabel: 'a new person' });
    else setPending({ kind, target: to.personId, targetLabel: personLabel({ id: to.personId, name }) });
    setNewName(name ?? '');
  };
  const commit = (): void => {
    const action = pending;
    if (!action) return;
    setPending(null);
    if (action.kind === 'merge' && action.target !== 'new') {
      const targetId = action.target;
      run(api.mergePeople({ targetId, sourceIds: [personId] }), (entry) => {
        did(entry);
        navigate({ view: 'person', id: targetId });
      });
    } else if (action.kind === 'move' && selected.length) {
      const n = newName.trim();
      const to: MoveTarget =
        action.target === 'new'
          ? n
            ? { newPerson: true, name: n }
            : { newPerson: true }
          : { personId: action.target };
      run(api.moveFaces({ faceIds: selected, to }), did);
    }
  };
  // Enter and Escape where the choice was made (the picker, the name field) confirm and cancel it.
  const onPendingKey = (e: KeyboardEvent<HTMLElement>): void => {
    // A key the picker used (Enter picking a person) is that choice, not its confirmation.
    if (!pending || e.defaultPrevented) return;
    if (e.key === 'Enter') commit();
    else if (e.key === 'Escape') setPending(null);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  // A move of nothing is no move: clearing the selection forgets it.
  useEffect(() => {
    if (selected.length === 0) setPending((p) => (p?.kind === 'move' ? null : p));
  }, [selected.length]);

  const onKey = (e: KeyboardEvent<HTMLDivElement> | globalThis.KeyboardEvent): boolean => {
    if (e.ctrlKey || e.metaKey || e.altKey) return false;
    const k = e.key.toLowerCase();
    const reason = ignoreReasonForKey(e);
    if (reason) ignore(reason);
    else if (k === 'c') confirm();
    else if (k === 'x' || e.key === 'Backspace') reject();
    else if (k === 'v') setCover();
    else if (k === 'm') document.getElementById('move-to')?.focus();
    else if (k === 'r') startRename();
    else if (k === 'g') setGrouped((g) => !g);
    else if (groups && /^[1-9]$/.test(e.key) && Number(e.key) <= groups.length) selectGroup(Number(e.key) - 1);
    else return false;
    e.preventDefault();
    return true;
  };

  const startRename = (): void => {
    setName(person?.name ?? '');
    setRenaming(true);
  };

  // The shortcuts work anywhere in the view, not only in the grid: after a click on "Select all" or right
  // after the person opens, the focus is on a button or the page. Not while a field or a picker has it (they
  // take letters), nor for a key that the grid or a dialog already used.
  const keyHandler = useRef(onKey);
  keyHandler.current = onKey;
  useEffect(() => {
    const onWindowKey = (e: globalThis.KeyboardEvent): void => {
      if (e.defaultPrevented || isTyping(e.target) || document.querySelector('[role="dialog"]')) return;
      keyHandler.current(e);
    };
    window.addEventListener('keydown', onWindowKey);
    return () => window.removeEventListener('keydown', onWindowKey);
  }, []);

  if (detail.error && !detail.data) {
    return (
      <section className="view">
        <h1>Person</h1>
        <p className="error">{detail.error}</p>
        <a href="#/people">Back to people</a>
      </section>
    );
  }

  return (
    <section className="view view-fill" aria-label="Person">
      <header className="view-header">
        <a href="#/people" className="back" aria-label="Back to people">
          ← People
        </a>
        {renaming ? (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              const n = name.trim();
              setRenaming(false);
              run(api.renamePerson({ personId, name: n || null }), did);
            }}
          >
            <input
              aria-label="Name"
              value={name}
              autoFocus
              onChange={(e) => setName(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') setRenaming(false);
              }}
            />
            <button type="submit" className="primary">
              Save
            </button>
            <button type="button" onClick={() => setRenaming(false)}>
              Cancel
            </button>
          </form>
        ) : (
          <h1 className="person-name">{person ? personLabel(person) : '\u00a0'}</h1>
        )}
        <span className="muted num" data-testid="person-count">
          {person ? `${person.faceCount} faces · ${person.confirmedCount} confirmed` : ''}
        </span>
        <div className="spacer" />
        {toReview > 0 && (
          <a
            className="button"
            href={`#/review/${personId}`}
            data-testid="review-person"
            title={`Is this ${person ? personLabel(person) : 'them'}? Yes or no for each face the app added`}
          >
            Review {plural(toReview, 'face')}
          </a>
        )}
        {!renaming && (
          <button type="button" onClick={startRename} title="Rename (R)">
            Rename
          </button>
        )}
        {person && (
          <button type="button" onClick={() => run(api.setHidden({ personId, hidden: !person.hidden }), did)}>
            {person.hidden ? 'Unhide' : 'Hide'}
          </button>
        )}
        {person && (
          <button
            type="button"
            onClick={() => navigate({ view: 'photos', personIds: [personId] })}
            title="Every photo this person is in"
          >
            Photos
          </button>
        )}
        {person && (
          <button type="button" onClick={() => setExporting(true)}>
            Export…
          </button>
        )}
        <span onKeyDown={onPendingKey}>
          <PersonPicker
            id="merge-into"
            label="Merge into…"
            exclude={personId}
            allowNew={false}
            onPick={(to, name) => choose('merge', to, name)}
          />
        </span>
      </header>
      {exporting && person && (
        <ExportDialog
          title={`Export ${personLabel(person)}`}
          personIds={[personId]}
          onClose={() => setExporting(false)}
        />
      )}
      <div className="toolbar" role="toolbar" aria-label="Selection actions">
        <span className="num selection-count" aria-live="polite">
          {selected.length ? `${selected.length} selected` : 'None selected'}
        </span>
        <button type="button" disabled={!selected.length} onClick={confirm} title="Confirm (C)">
          Confirm
        </button>
        <button type="button" disabled={!selected.length} onClick={reject} title="Not this person (X)">
          Not this person
        </button>
        <IgnoreButtons disabled={!selected.length} onIgnore={ignore} notAFaceKeys="Delete" />
        <span onKeyDown={onPendingKey}>
          <PersonPicker
            id="move-to"
            label="Move to…"
            exclude={personId}
            disabled={!selected.length}
            onPick={(to, name) => choose('move', to, name)}
          />
        </span>
        <button type="button" disabled={selected.length !== 1} onClick={setCover} title="Set as cover (V)">
          Set as cover
        </button>
        <button type="button" onClick={() => setSelection(selectAll(ids))} disabled={!ids.length}>
          Select all
        </button>
        <button type="button" onClick={() => setSelection(EMPTY_SELECTION)} disabled={!selected.length}>
          Clear
        </button>
        <button
          type="button"
          aria-pressed={grouped}
          className={grouped ? 'primary' : ''}
          onClick={() => setGrouped(!grouped)}
          title="Group the faces by similarity (G)"
        >
          Group by similarity
        </button>
      </div>
      {pending && person && (
        <ConfirmBar
          message={describePending(pending, {
            personLabel: personLabel(person),
            personFaces: person.faceCount,
            selected: selected.length,
          })}
          action={pending.kind === 'merge' ? 'Merge' : 'Move'}
          onConfirm={commit}
          onCancel={() => setPending(null)}
        >
          {pending.target === 'new' && (
            <input
              aria-label="New person's name"
              placeholder="Name (optional)"
              value={newName}
              onChange={(e) => setNewName(e.target.value)}
              onKeyDown={onPendingKey}
            />
          )}
        </ConfirmBar>
      )}
      {groups && (
        <SubgroupList
          groups={groups}
          selectedGroup={selectedGroup < 0 ? null : selectedGroup}
          onSelectGroup={selectGroup}
        />
      )}
      <FaceGrid
        faces={faces}
        selection={selection}
        onSelection={setSelection}
        coverFaceId={person?.coverFaceId ?? null}
        onOpen={(f) => navigate({ view: 'photo', id: f.photoId, face: f.id })}
        onKey={onKey}
        label={`Faces of ${person ? personLabel(person) : 'person'}`}
      />
      <p className="hint muted">
        <kbd>C</kbd> confirm · <kbd>X</kbd> not this person · <kbd>Delete</kbd> not a face · <kbd>I</kbd> ignore
        stranger · <kbd>M</kbd> move · <kbd>V</kbd> cover · <kbd>R</kbd> rename · <kbd>G</kbd> group by similarity
        {groups ? (
          <>
            {' '}
            · <kbd>1</kbd>–<kbd>9</kbd> select a group
          </>
        ) : null}{' '}
        · <kbd>Enter</kbd> open photo · <kbd>Ctrl+Z</kbd> undo
      </p>
    </section>
  );
}
