/**
 * The error toasts: a short queue, so that a burst of failures (a flaky disk, a server that stopped) shows the
 * latest few instead of piling up, and the same message twice is one toast. Each closes itself after
 * ERROR_TOAST_MS (longer than the undo toast's 8 s: an error is worth reading), by its × button, or by Escape.
 */
export interface ErrorToast {
  id: number;
  message: string;
}

/** How long an error toast stays. */
export const ERROR_TOAST_MS = 12_000;
/** The most error toasts on screen at once; an older one gives way to a newer one. */
export const MAX_ERROR_TOASTS = 3;

/** The queue after `message` failed: it comes last (an equal one moves there, with the new id and timer). */
export function pushError(toasts: readonly ErrorToast[], message: string, id: number): ErrorToast[] {
  const others = toasts.filter((t) => t.message !== message);
  return [...others, { id, message }].slice(-MAX_ERROR_TOASTS);
}

export function dismissError(toasts: readonly ErrorToast[], id: number): ErrorToast[] {
  return toasts.filter((t) => t.id !== id);
}
