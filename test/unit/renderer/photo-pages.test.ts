/**
 * The Photos view's pure parts: the pages a grid window needs (property: they cover exactly the window's
 * items), reading items out of loaded pages, the photos route in the address, the image URLs with `?size=`,
 * and the words (dates, titles, counts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { photoUrlAt } from '../../../src-renderer/api/client.js';
import { parseRoute, routeHash, type Route } from '../../../src-renderer/logic/format.js';
import {
  formatDay,
  formatMonth,
  itemAt,
  joinNames,
  pagesFor,
  photoCount,
  photosTitle,
} from '../../../src-renderer/logic/photo-pages.js';

describe('photo pages', () => {
  it('pagesFor covers exactly the pages holding [start, end), in order', () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.nat(2_000), fc.integer({ min: 1, max: 500 }), (start, length, size) => {
        const end = start + length;
        const pages = pagesFor(start, end, size);
        const wanted = new Set<number>();
        for (let i = start; i < end; i++) wanted.add(Math.floor(i / size));
        expect(pages).toEqual([...wanted].sort((a, b) => a - b));
      }),
    );
    expect(pagesFor(5, 5, 10)).toEqual([]);
    expect(pagesFor(-1, 5, 10)).toEqual([]);
    expect(pagesFor(0, 150)).toEqual([0]);
    expect(pagesFor(149, 151)).toEqual([0, 1]);
  });

  it('itemAt reads an item of a loaded page, nothing from a page not loaded yet', () => {
    const pages = new Map([
      [0, ['a', 'b', 'c']],
      [2, ['g', 'h']],
    ]);
    expect(itemAt(pages, 1, 3)).toBe('b');
    expect(itemAt(pages, 4, 3)).toBeUndefined();
    expect(itemAt(pages, 7, 3)).toBe('h');
    expect(itemAt(pages, 8, 3)).toBeUndefined();
  });

  it('says dates as the camera wrote them, and titles in plain words', () => {
    expect(formatDay('2021-07-04T12:00:00')).toBe('4 Jul 2021');
    expect(formatMonth('2005-12-31T23:59:59')).toBe('Dec 2005');
    expect(formatDay('not a date')).toBe('');
    expect(formatMonth('2021-13-01T00:00:00')).toBe('');
    expect(joinNames(['Anna'])).toBe('Anna');
    expect(joinNames(['Anna', 'Ben', 'Cleo'])).toBe('Anna, Ben and Cleo');
    expect(photosTitle([], null)).toBe('All photos');
    expect(photosTitle(['Anna'], null)).toBe('Photos of Anna');
    expect(photosTitle(['Anna', 'Ben'], null)).toBe('Photos of Anna and Ben together');
    expect(photosTitle(['Anna'], '/p/trip')).toBe('Photos of Anna in /p/trip');
    expect(photosTitle([], '/p/trip')).toBe('Photos in /p/trip');
    expect(photoCount(1)).toBe('1 photo');
    expect(photoCount(100_000)).toBe('100,000 photos');
  });
});

describe('the photos route and image URLs', () => {
  it('round-trips the photos route through the address', () => {
    const routes: Route[] = [
      { view: 'photos' },
      { view: 'photos', folderId: 3 },
      { view: 'photos', personIds: [4, 2] },
      { view: 'photos', folderId: 1, personIds: [7] },
    ];
    for (const r of routes) expect(parseRoute(routeHash(r))).toEqual(r);
    expect(routeHash({ view: 'photos', folderId: 3, personIds: [1, 2] })).toBe('#/photos?folder=3&people=1,2');
    // Unreadable parts are left out, a person twice is once.
    expect(parseRoute('#/photos?folder=x&people=1,,abc,1,-2,3')).toEqual({ view: 'photos', personIds: [1, 3] });
    expect(parseRoute('#/photos?people=')).toEqual({ view: 'photos' });
  });

  it('round-trips a photo opened from the grid: its face, its list and its place in it', () => {
    const routes: Route[] = [
      { view: 'photo', id: 5 },
      { view: 'photo', id: 5, face: 9 },
      { view: 'photo', id: 5, list: { at: 0 } },
      { view: 'photo', id: 5, face: 9, list: { folderId: 2, personIds: [3, 1], at: 41 } },
    ];
    for (const r of routes) expect(parseRoute(routeHash(r))).toEqual(r);
    expect(routeHash({ view: 'photo', id: 5, list: { personIds: [1, 2], at: 7 } })).toBe('#/photo/5?people=1,2&at=7');
    // A filter without a place is no list to step through.
    expect(parseRoute('#/photo/5?folder=2')).toEqual({ view: 'photo', id: 5 });
    expect(parseRoute('#/photo/5?at=-1')).toEqual({ view: 'photo', id: 5 });
  });

  it('asks for a sized preview with ?size=, before the token', () => {
    expect(photoUrlAt('facenet://photo', 7)).toBe('facenet://photo/7');
    expect(photoUrlAt('facenet://photo', 7, 320)).toBe('facenet://photo/7?size=320');
    expect(photoUrlAt('http://127.0.0.1:5/photo', 7, 320, 'tok')).toBe('http://127.0.0.1:5/photo/7?size=320&token=tok');
    expect(photoUrlAt('http://127.0.0.1:5/photo', 7, undefined, 'tok')).toBe('http://127.0.0.1:5/photo/7?token=tok');
    expect(photoUrlAt('facenet://photo', 7, 0.2)).toBe('facenet://photo/7?size=1');
  });
});
