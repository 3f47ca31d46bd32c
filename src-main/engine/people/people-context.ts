/**
 * What the people modules (queries, edits, re-grouping, suggestions, threshold analysis) share: the library's
 * repositories, the clustering settings, the undo history, the clock, and the model whose faces are grouped.
 * PeopleService builds one and hands it to each module.
 */
import type { Library } from '../storage/library.js';
import type { PeopleSettingsStore } from './people-settings.js';
import type { UndoHistory } from './undo.js';

export interface PeopleContext {
  readonly lib: Library;
  readonly settings: PeopleSettingsStore;
  readonly history: UndoHistory;
  readonly now: () => number;
  /** The model whose faces are grouped: the pipeline's once known, else the model holding the most faces. */
  modelVersion(): string | null;
}
