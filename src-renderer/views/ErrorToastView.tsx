import { useEffect } from 'react';
import { ERROR_TOAST_MS } from '../logic/error-toasts.js';

/** One error toast: it closes itself after ERROR_TOAST_MS (its own timer, whatever others come and go). */
export function ErrorToastView({ message, onClose }: { message: string; onClose: () => void }) {
  useEffect(() => {
    const t = setTimeout(onClose, ERROR_TOAST_MS);
    return () => clearTimeout(t);
    // The timer starts once per toast: a new onClose from a re-render must not restart it.
  }, []);
  return (
    <div className="toast toast-error" role="alert" data-testid="error-toast">
      <span>{message}</span>
      <button type="button" onClick={onClose} aria-label="Dismiss error">
        ×
      </button>
    </div>
  );
}
