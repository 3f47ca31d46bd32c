import type { IgnoreReasonDto } from '../../src-shared/api.js';

/**
 * "Not a face" and "Ignore stranger" for the selected faces (Person and Unsorted views). `notAFaceKeys` names
 * the view's shortcut for "not a face" in the button's tooltip (Unsorted also takes X, which in a person means
 * "not this person").
 */
export function IgnoreButtons({
  disabled,
  onIgnore,
  notAFaceKeys,
}: {
  disabled: boolean;
  onIgnore: (reason: IgnoreReasonDto) => void;
  notAFaceKeys: string;
}) {
  return (
    <>
      <button
        type="button"
        disabled={disabled}
        onClick={() => onIgnore('not-a-face')}
        title={`Not a face: a false detection, never grouped again (${notAFaceKeys})`}
      >
        Not a face
      </button>
      <button
        type="button"
        disabled={disabled}
        onClick={() => onIgnore('stranger')}
        title="Ignore: a stranger, never grouped again (I)"
      >
        Ignore stranger
      </button>
    </>
  );
}
