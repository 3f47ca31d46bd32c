/**
 * Issue 13: what a person picker lists for what the user typed (src-renderer/logic/person-search.ts).
 */
import { describe, expect, it } from 'vitest';
import { foldForSearch, PICKER_LIMIT, searchPeople, typedId } from '../../../src-renderer/logic/person-search.js';

const person = (id: number, name: string | null, faceCount = 1) => ({ id, name, faceCount });
const PEOPLE = [
  person(1, null, 3),
  person(2, 'Zoë Adams', 5),
  person(3, 'alice', 2),
  person(12, null, 40),
  person(120, null, 1),
  person(4, 'Bob Alder', 9),
  person(5, 'Fred', 4),
  person(6, 'Ed', 1),
];
const ids = (r: { shown: { id: number }[] }) => r.shown.map((p) => p.id);

describe('searchPeople', () => {
  it('lists named people A-Z first, then the unnamed largest first, when nothing is typed', () => {
    expect(ids(searchPeople(PEOPLE, ''))).toEqual([3, 4, 6, 5, 2, 12, 1, 120]);
    expect(searchPeople(PEOPLE, '  ').total).toBe(8);
  });

  it('filters by name ignoring case and accents: whole name, then prefix, then a word, then anywhere', () => {
    expect(ids(searchPeople(PEOPLE, 'zoe'))).toEqual([2]);
    expect(ids(searchPeople(PEOPLE, 'AL'))).toEqual([3, 4]); // "alice" starts with it; "Bob Alder" has a word
    expect(ids(searchPeople(PEOPLE, 'ed'))).toEqual([6, 5]); // "Ed" exactly, then "Fred": never the unnamed
    expect(ids(searchPeople(PEOPLE, 'dams'))).toEqual([2]);
  });

  it('finds an unnamed person by "#12", "12" or "Unnamed #12", that one first', () => {
    expect(ids(searchPeople(PEOPLE, '#12'))).toEqual([12, 120]);
    expect(searchPeople(PEOPLE, '12').shown[0]!.id).toBe(12);
    expect(ids(searchPeople(PEOPLE, 'Unnamed #12'))).toEqual([12, 120]);
    expect(ids(searchPeople(PEOPLE, 'unnamed'))).toEqual([12, 1, 120]);
    expect(typedId('#12')).toBe(12);
    expect(typedId('Ann')).toBeNull();
  });

  it('says when the typed text is exactly someone, so Enter on other text can mean a new person', () => {
    expect(searchPeople(PEOPLE, 'ALICE').exact?.id).toBe(3);
    expect(searchPeople(PEOPLE, 'ali').exact).toBeNull();
    const none = searchPeople(PEOPLE, 'Nobody Here');
    expect(none.total).toBe(0);
    expect(none.exact).toBeNull();
  });

  it('shows at most a screenful of 1,000+ people, counting all matches, fast', () => {
    const many = Array.from({ length: 5000 }, (_, i) => person(i + 1, i % 2 ? `Person name ${i}` : null, i % 97));
    const t0 = performance.now();
    const all = searchPeople(many, '');
    const typed = searchPeople(many, 'name 1');
    const took = performance.now() - t0;
    expect(all.shown).toHaveLength(PICKER_LIMIT);
    expect(all.total).toBe(5000);
    expect(typed.shown.length).toBeLessThanOrEqual(PICKER_LIMIT);
    expect(typed.total).toBeGreaterThan(PICKER_LIMIT);
    expect(took).toBeLessThan(500);
  });

  it('folds accents, case and spaces', () => {
    expect(foldForSearch('  Zoë   ÅSA ')).toBe('zoe asa');
  });
});
