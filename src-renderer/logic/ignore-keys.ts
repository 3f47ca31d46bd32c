import type { IgnoreReasonDto } from '../../src-shared/api.js';

/**
 * The ignore shortcuts of the face grids (Unsorted, a person's faces): Delete = "not a face" (a false
 * detection), I = "ignore as a stranger". Plain keys only: Ctrl/Cmd/Alt combinations belong to others (Ctrl+Z).
 */
export function ignoreReasonForKey(e: {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}): IgnoreReasonDto | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (e.key === 'Delete') return 'not-a-face';
  if (e.key.toLowerCase() === 'i') return 'stranger';
  return null;
}

/** How the UI names a reason. */
export function ignoreReasonLabel(reason: IgnoreReasonDto): string {
  return reason === 'not-a-face' ? 'Not a face' : 'Stranger';
}
