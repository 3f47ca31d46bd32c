import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PLOT,
  farTicks,
  pointAtThreshold,
  ROC_MIN_DIFFERENT_PAIRS,
  ROC_MIN_SAME_PAIRS,
  rocPath,
  rocSampleWarning,
  xForFar,
  yForVal,
} from '../../../src-renderer/logic/roc.js';
import { INITIAL_UNDO, isUndoKey, undoReducer } from '../../../src-renderer/logic/undo.js';
import { dragToPhotoBox, boxToPercent } from '../../../src-renderer/logic/photo-box.js';
import { formatEta, parseRoute, routeHash, sortPeople } from '../../../src-renderer/logic/format.js';
import { takeToken } from '../../../src-renderer/api/client.js';

describe('undo client state', () => {
  const a = { id: 1, label: 'Renamed to Anna', at: 1 };
  const b = { id: 2, label: 'Merged 1 into 3', at: 2 };

  it('shows a toast for the latest action', () => {
    let s = undoReducer(INITIAL_UNDO, { type: 'did', entry: a });
    s = undoReducer(s, { type: 'did', entry: b });
    expect(s.toast).toEqual(b);
  });

  it('ignores a second undo while one is in flight and reports what was undone', () => {
    let s = undoReducer(undoReducer(INITIAL_UNDO, { type: 'did', entry: a }), { type: 'did', entry: b });
    s = undoReducer(s, { type: 'undo-start' });
    expect(s.busy).toBe(true);
    expect(undoReducer(s, { type: 'undo-start' })).toBe(s);
    s = undoReducer(s, { type: 'undo-done', entry: b });
    expect(s).toMatchObject({ busy: false, toast: null, notice: 'Undid: Merged 1 into 3' });
    s = undoReducer(undoReducer(s, { type: 'undo-start' }), { type: 'undo-done', entry: null });
    expect(s.notice).toBe('Nothing to undo');
    expect(undoReducer(s, { type: 'undo-failed', message: 'x' }).notice).toBe('Undo failed: x');
    expect(undoReducer(s, { type: 'dismiss' }).notice).toBeNull();
  });

  it('binds Ctrl+Z / Cmd+Z, not while typing and not with shift', () => {
    const k = { key: 'z', ctrlKey: true, metaKey: false, shiftKey: false, altKey: false };
    expect(isUndoKey(k, false)).toBe(true);
    expect(isUndoKey({ ...k, ctrlKey: false, metaKey: true }, false)).toBe(true);
    expect(isUndoKey(k, true)).toBe(false);
    expect(isUndoKey({ ...k, shiftKey: true }, false)).toBe(false);
    expect(isUndoKey({ ...k, key: 'y' }, false)).toBe(false);
  });
});

describe('ROC plot geometry', () => {
  const points = [
    { threshold: 0.4, val: 0.5, far: 0.001 },
    { threshold: 0.8, val: 0.9, far: 0.01 },
    { threshold: 1.2, val: 0.98, far: 0.1 },
  ];

  it('maps FAR on a log axis and VAL linearly inside the padding', () => {
    const inner = DEFAULT_PLOT.width - DEFAULT_PLOT.pad.left - DEFAULT_PLOT.pad.right;
    expect(xForFar(1e-3, DEFAULT_PLOT)).toBe(DEFAULT_PLOT.pad.left);
    expect(xForFar(1e-6, DEFAULT_PLOT)).toBe(DEFAULT_PLOT.pad.left); // clamped
    expect(xForFar(1, DEFAULT_PLOT)).toBeCloseTo(DEFAULT_PLOT.pad.left + inner);
    expect(xForFar(0.01, DEFAULT_PLOT)).toBeCloseTo(DEFAULT_PLOT.pad.left + inner / 3);
    expect(yForVal(1, DEFAULT_PLOT)).toBe(DEFAULT_PLOT.pad.top);
    expect(yForVal(0, DEFAULT_PLOT)).toBe(DEFAULT_PLOT.height - DEFAULT_PLOT.pad.bottom);
    expect(farTicks().map((t) => t.label)).toEqual(['1e-3', '1e-2', '1e-1', '1']);
  });

  it('draws the curve in FAR order', () => {
    const d = rocPath([points[2]!, points[0]!, points[1]!]);
    expect(d.startsWith(`M${xForFar(0.001, DEFAULT_PLOT).toFixed(1)},`)).toBe(true);
    expect(d.split(' ')).toHaveLength(3);
    expect(rocPath([])).toBe('');
  });

  it('marks the threshold by interpolating between measured thresholds, clamped at the ends', () => {
    const mid = pointAtThreshold(points, 0.6)!;
    expect(mid.val).toBeCloseTo(0.7);
    expect(mid.far).toBeCloseTo(Math.sqrt(0.001 * 0.01)); // halfway on the log axis
    expect(pointAtThreshold(points, 0.1)).toMatchObject({ val: 0.5, threshold: 0.1 });
    expect(pointAtThreshold(points, 3)).toMatchObject({ val: 0.98 });
    expect(pointAtThreshold([], 1)).toBeNull();
  });
});

describe('photo boxes, routes, tokens, people order', () => {
  it('turns a drag on the displayed photo into a clamped box in photo pixels', () => {
    const box = dragToPhotoBox(
      { x: 150, y: 100 },
      { x: 50, y: 20 },
      { width: 400, height: 300 },
      { width: 1600, height: 1200 },
    );
    expect(box).toEqual({ x: 200, y: 80, width: 400, height: 320 });
    expect(
      dragToPhotoBox({ x: -50, y: -50 }, { x: 10, y: 10 }, { width: 400, height: 300 }, { width: 1600, height: 1200 }),
    ).toEqual({
      x: 0,
      y: 0,
      width: 40,
      height: 40,
    });
    expect(
      dragToPhotoBox({ x: 0, y: 0 }, { x: 1, y: 1 }, { width: 400, height: 300 }, { width: 400, height: 300 }),
    ).toBeNull();
    expect(boxToPercent({ x: 10, y: 20, width: 50, height: 40 }, 100, 200)).toEqual({
      left: '10.000%',
      top: '10.000%',
      width: '50.000%',
      height: '20.000%',
    });
  });

  it('parses and builds hash routes', () => {
    expect(parseRoute('#/person/12')).toEqual({ view: 'person', id: 12 });
    expect(parseRoute('#/photo/3?face=9')).toEqual({ view: 'photo', id: 3, face: 9 });
    expect(parseRoute('#/person/abc')).toEqual({ view: 'people' });
    expect(parseRoute('')).toEqual({ view: 'people' });
    expect(parseRoute('#/threshold')).toEqual({ view: 'threshold' });
    expect(routeHash({ view: 'photo', id: 3, face: 9 })).toBe('#/photo/3?face=9');
  });

  it('sorts named people alphabetically and unnamed by size', () => {
    const { named, unnamed } = sortPeople([
      { id: 1, name: null, faceCount: 3 },
      { id: 2, name: 'Zoe', faceCount: 1 },
      { id: 3, name: null, faceCount: 9 },
      { id: 4, name: 'Ann', faceCount: 2 },
    ]);
    expect(named.map((p) => p.id)).toEqual([4, 2]);
    expect(unnamed.map((p) => p.id)).toEqual([3, 1]);
    expect(formatEta(75)).toBe('1m 15s');
    expect(formatEta(null)).toBe('—');
  });

  it('takes the token from the URL once, hides it, and remembers it for the tab', () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    } as Storage;
    let replaced = '';
    const history = { replaceState: (_a: unknown, _b: string, url: string) => void (replaced = url) } as History;
    expect(takeToken({ href: 'http://127.0.0.1:5/?token=abc#/people' } as Location, storage, history)).toBe('abc');
    expect(replaced).toBe('/#/people');
    expect(takeToken({ href: 'http://127.0.0.1:5/#/people' } as Location, storage, history)).toBe('abc');
  });
});

describe('shortcut targets', () => {
  it('treats text fields as typing, but not checkboxes, sliders or buttons', async () => {
    const { isTyping } = await import('../../../src-renderer/logic/keys.js');
    expect(isTyping({ tagName: 'INPUT', type: 'text' } as unknown as EventTarget)).toBe(true);
    expect(isTyping({ tagName: 'INPUT', type: 'search' } as unknown as EventTarget)).toBe(true);
    expect(isTyping({ tagName: 'INPUT', type: 'checkbox' } as unknown as EventTarget)).toBe(false);
    expect(isTyping({ tagName: 'INPUT', type: 'range' } as unknown as EventTarget)).toBe(false);
    expect(isTyping({ tagName: 'TEXTAREA' } as unknown as EventTarget)).toBe(true);
    expect(isTyping({ tagName: 'BUTTON' } as unknown as EventTarget)).toBe(false);
    expect(isTyping(null)).toBe(false);
  });
});

describe('ROC sample warning', () => {
  it('warns with the counts and the resulting resolution when pairs are few', () => {
    const w = rocSampleWarning(14, 36);
    expect(w).toContain('only 14 same-person and 36 different-person pairs');
    expect(w).toContain('steps of 7.1%');
    expect(w).toContain('below 2.8%');
  });
  it('says nothing when the curve rests on enough pairs', () => {
    expect(rocSampleWarning(ROC_MIN_SAME_PAIRS, ROC_MIN_DIFFERENT_PAIRS)).toBeNull();
    expect(rocSampleWarning(ROC_MIN_SAME_PAIRS - 1, ROC_MIN_DIFFERENT_PAIRS)).not.toBeNull();
  });
});
