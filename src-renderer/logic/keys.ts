const TEXT_INPUTS = new Set(['', 'text', 'search', 'number', 'email', 'password', 'url', 'tel', 'date', 'time']);

/**
 * True when a key event comes from a text field, where shortcuts (and Ctrl+Z, which the field undoes itself)
 * must not fire. Checkboxes, sliders and buttons are not text fields.
 */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as { tagName?: string; isContentEditable?: boolean; type?: string } | null;
  if (!el || !el.tagName) return false;
  if (el.tagName === 'INPUT') return TEXT_INPUTS.has((el.type ?? '').toLowerCase());
  return el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || !!el.isContentEditable;
}
