import type { FaceDto } from '../../src-shared/api.js';
import type { SubgroupRow } from '../logic/subgroups.js';
import { useApp } from '../app-context.js';
import { plural } from '../../src-shared/words.js';

/** Faces shown per group row; the grid below shows them all, in the same order. */
const ROW_FACES = 10;

/**
 * "Group by similarity" in the Person view: one row per sub-group (largest first; the faces alike to no other in
 * one last row, logic/subgroups.ts), with its size and its first faces. A click on a row (or its number key, 1 to 9) selects the whole group in the grid, so that "Move to…"
 * splits it off in one move.
 */
export function SubgroupList({
  groups,
  selectedGroup,
  onSelectGroup,
}: {
  groups: ReadonlyArray<SubgroupRow<FaceDto>>;
  /** The group whose faces are exactly the selection, if any. */
  selectedGroup: number | null;
  onSelectGroup: (index: number) => void;
}) {
  const { transport } = useApp();
  return (
    <ol className="subgroups" aria-label="Groups by similarity" data-testid="subgroups">
      {groups.map((g, i) => (
        <li key={g.faces[0]?.id ?? i}>
          <button
            type="button"
            className={`subgroup${selectedGroup === i ? ' selected' : ''}`}
            aria-pressed={selectedGroup === i}
            onClick={() => onSelectGroup(i)}
            data-testid="subgroup"
            title={i < 9 ? `Select this group (${i + 1})` : 'Select this group'}
          >
            <span className="subgroup-title">
              {i < 9 && <kbd>{i + 1}</kbd>} {g.loners ? 'Unlike the others' : `Group ${i + 1}`}
              <span className="muted num"> · {plural(g.faces.length, 'face')}</span>
            </span>
            <span className="subgroup-faces" aria-hidden="true">
              {g.faces.slice(0, ROW_FACES).map((f) => (
                <img key={f.id} src={transport.thumbUrl(f.id)} alt="" width={44} height={44} loading="lazy" />
              ))}
              {g.faces.length > ROW_FACES && <span className="muted num">+{g.faces.length - ROW_FACES}</span>}
            </span>
          </button>
        </li>
      ))}
    </ol>
  );
}
