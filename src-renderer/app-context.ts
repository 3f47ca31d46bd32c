/** Shared app state passed down through React context: the API, images, navigation, undo and refresh. */
import { createContext, useContext } from 'react';
import type { FaceNetApi, IndexProgressDto, UndoEntryDto } from '../src-shared/api.js';
import type { Transport } from './api/client.js';
import type { Route } from './logic/format.js';

export interface AppContextValue {
  api: FaceNetApi;
  transport: Transport;
  /** Bumped whenever the library changes (events, own actions): views reload on it. */
  version: number;
  progress: IndexProgressDto | null;
  navigate(route: Route): void;
  /** Report a destructive action's undo entry: shows the toast and refreshes. */
  did(entry: UndoEntryDto): void;
  undo(): void;
  refresh(): void;
  showError(error: unknown): void;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error('AppContext missing');
  return ctx;
}
