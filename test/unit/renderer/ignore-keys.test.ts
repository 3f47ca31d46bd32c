import { describe, expect, it } from 'vitest';
import { ignoreReasonForKey, ignoreReasonLabel } from '../../../src-renderer/logic/ignore-keys.js';

describe('ignore shortcuts', () => {
  it('Delete is "not a face", I is "stranger", plain keys only', () => {
    expect(ignoreReasonForKey({ key: 'Delete' })).toBe('not-a-face');
    expect(ignoreReasonForKey({ key: 'i' })).toBe('stranger');
    expect(ignoreReasonForKey({ key: 'I' })).toBe('stranger');
    // X and Backspace stay "not this person" in a person's grid; Ctrl/Cmd/Alt combinations are others'.
    for (const key of ['x', 'Backspace', 'c', 'u']) expect(ignoreReasonForKey({ key })).toBeNull();
    expect(ignoreReasonForKey({ key: 'i', ctrlKey: true })).toBeNull();
    expect(ignoreReasonForKey({ key: 'Delete', metaKey: true })).toBeNull();
    expect(ignoreReasonForKey({ key: 'i', altKey: true })).toBeNull();
  });

  it('names the reasons in plain words', () => {
    expect(ignoreReasonLabel('not-a-face')).toBe('Not a face');
    expect(ignoreReasonLabel('stranger')).toBe('Stranger');
  });
});
