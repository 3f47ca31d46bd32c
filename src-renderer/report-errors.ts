/**
 * Event handlers for async actions. React ignores what a handler returns, so a promise handed back to
 * onClick is never awaited: its rejection, or a throw in its `.then` callback, would reach only the console
 * as an unhandled rejection. `reportErrors(report, action)` is a plain handler that runs `action` at once and
 * hands any failure to `report` (the views pass `showError`, the app's error toast; app-context.ts). Lint
 * asks for it: no-misused-promises in eslint.config.js rejects a promise-returning JSX handler.
 */
export function reportErrors<A extends unknown[]>(
  report: (error: unknown) => void,
  action: (...args: A) => Promise<unknown>,
): (...args: A) => void {
  return (...args) => {
    try {
      action(...args).catch(report);
    } catch (e) {
      // A non-async action can throw before it returns its promise.
      report(e);
    }
  };
}
