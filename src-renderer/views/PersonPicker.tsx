import { useState } from 'react';
import type { MoveTarget, PersonSummaryDto } from '../../src-shared/api.js';
import { useApp } from '../app-context.js';
import { personLabel } from '../logic/format.js';
import { useLoad } from '../use-load.js';

/**
 * "Move to…" control: an existing person or a new (optionally named) one. Calls onPick with the target.
 * With `onChoose`, a choice is only a choice (the caller asks for a confirmation before acting on it): the
 * select shows `value` and reports every change, "New person…" included, so the arrow keys never act.
 */
export function PersonPicker({
  label,
  exclude,
  disabled,
  onPick,
  allowNew = true,
  id,
  value = '',
  onChoose,
}: {
  label: string;
  exclude?: number;
  disabled?: boolean;
  onPick: (to: MoveTarget, name: string | null) => void;
  allowNew?: boolean;
  id: string;
  /** The chosen option's value ('' for none, 'new', or a person id) when the caller keeps the choice. */
  value?: string;
  onChoose?: (value: string, person: PersonSummaryDto | null) => void;
}) {
  const { api, version } = useApp();
  const people = useLoad(() => api.listPeople({ includeHidden: true }), [api, version]);
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const list = (people.data ?? []).filter((p: PersonSummaryDto) => p.id !== exclude);
  const named = list.filter((p) => p.name).sort((a, b) => a.name!.localeCompare(b.name!));
  const unnamed = list.filter((p) => !p.name).sort((a, b) => b.faceCount - a.faceCount);

  if (creating) {
    return (
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          const n = name.trim();
          onPick(n ? { newPerson: true, name: n } : { newPerson: true }, n || null);
          setCreating(false);
          setName('');
        }}
      >
        <input
          id={`${id}-new`}
          aria-label="New person's name"
          placeholder="Name (optional)"
          value={name}
          autoFocus
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setCreating(false);
          }}
        />
        <button type="submit" className="primary">
          Create
        </button>
        <button type="button" onClick={() => setCreating(false)}>
          Cancel
        </button>
      </form>
    );
  }
  return (
    <select
      id={id}
      aria-label={label}
      value={value}
      disabled={disabled}
      onChange={(e) => {
        const v = e.target.value;
        if (onChoose) onChoose(v, list.find((x) => String(x.id) === v) ?? null);
        else if (v === 'new') setCreating(true);
        else if (v) {
          const p = list.find((x) => String(x.id) === v);
          onPick({ personId: Number(v) }, p?.name ?? null);
        }
      }}
    >
      <option value="">{label}</option>
      {allowNew && <option value="new">New person…</option>}
      {named.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name} ({p.faceCount})
        </option>
      ))}
      {unnamed.map((p) => (
        <option key={p.id} value={p.id}>
          {personLabel(p)} ({p.faceCount})
        </option>
      ))}
    </select>
  );
}
