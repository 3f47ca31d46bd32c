import type { ReactNode } from 'react';

/**
 * Says what a destructive action will do and waits for it: the primary button does it, Cancel (or Escape,
 * handled by the caller where the keyboard focus is) forgets it. `children` go between the text and the
 * buttons (a name field for a new person).
 */
export function ConfirmBar({
  message,
  action,
  onConfirm,
  onCancel,
  children,
}: {
  message: string;
  action: string;
  onConfirm: () => void;
  onCancel: () => void;
  children?: ReactNode;
}) {
  return (
    <div className="confirm-bar" role="group" aria-label="Confirm" data-testid="confirm-bar">
      <span className="confirm-bar-message" aria-live="polite">
        {message}
      </span>
      {children}
      <button type="button" className="primary" onClick={onConfirm}>
        {action} <kbd>Enter</kbd>
      </button>
      <button type="button" onClick={onCancel}>
        Cancel <kbd>Esc</kbd>
      </button>
    </div>
  );
}
