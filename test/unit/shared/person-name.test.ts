/**
 * Issue 13: one name for a person without one, "Unnamed #12", in the UI, History, export folders and the CLI.
 */
import { describe, expect, it } from 'vitest';
import { personName, unnamedPersonName } from '../../../src-shared/person-name.js';
import { personLabel } from '../../../src-renderer/logic/format.js';
import { displayName } from '../../../src-main/engine/people/people-edits.js';
import { personLabel as cliPersonLabel } from '../../../src-main/hosts/cli/library/person-ref.js';

describe('personName', () => {
  it('is the name when there is one', () => {
    expect(personName({ id: 12, name: 'Alice' })).toBe('Alice');
  });

  it('is "Unnamed #<id>" without one (null or empty)', () => {
    expect(unnamedPersonName(12)).toBe('Unnamed #12');
    expect(personName({ id: 12, name: null })).toBe('Unnamed #12');
    expect(personName({ id: 7, name: '' })).toBe('Unnamed #7');
  });

  it('is what the renderer, the undo labels and the CLI show for an unnamed person', () => {
    const p = { id: 12, name: null };
    expect(personLabel(p)).toBe('Unnamed #12');
    expect(displayName(p)).toBe('Unnamed #12');
    expect(cliPersonLabel(p)).toBe('Unnamed #12');
  });
});
