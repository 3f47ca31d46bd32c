/**
 * The grouping remembered for each recognition version when the user last left it (src-main/engine/people/grouping-memory.ts),
 * kept in the library's settings (key 'tuning.groupings') so that switching back restores the same people in
 * the app and in the CLI alike, across restarts.
 */
import type { SettingsRepository } from '../storage/settings-repository.js';
import type { RememberedGrouping } from '../people/grouping-memory.js';

export const GROUPINGS_KEY = 'tuning.groupings';

type Stored = Record<string, RememberedGrouping>;

export class VersionGroupings {
  constructor(private readonly settings: SettingsRepository) {}

  get(version: number): RememberedGrouping | undefined {
    return this.all()[String(version)];
  }

  set(version: number, grouping: RememberedGrouping): void {
    this.settings.set(GROUPINGS_KEY, { ...this.all(), [String(version)]: grouping });
  }

  delete(version: number): void {
    const { [String(version)]: _gone, ...rest } = this.all();
    this.settings.set(GROUPINGS_KEY, rest);
  }

  /** The stored value as it is (undefined when none), to put back exactly on undo. */
  raw(): unknown {
    return this.settings.get<unknown>(GROUPINGS_KEY);
  }

  putRaw(value: unknown): void {
    if (value === undefined) this.settings.delete(GROUPINGS_KEY);
    else this.settings.set(GROUPINGS_KEY, value);
  }

  private all(): Stored {
    return this.settings.get<Stored>(GROUPINGS_KEY) ?? {};
  }
}
