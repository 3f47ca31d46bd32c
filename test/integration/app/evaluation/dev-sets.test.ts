/**
 * The development sets are built from ../shared exactly as docs/clustering-threshold.md writes them down:
 * the library-like set is the 91 celeba-people identities among 600 one-photo LFW people who are not in
 * lfw-dev-people, drawn the same way every time.
 */
import { basename, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  developmentSets,
  libraryLikeSet,
  lfwTrainSingletons,
  sparseLibrarySet,
} from '../../../../src-main/app/evaluation/dev-sets.js';
import { listIdentityTree } from '../../../../src-main/app/evaluation/cluster.js';
import { hasShared, SHARED_DIR } from '../../../helpers/shared.js';

const present = hasShared('celeba-people') && hasShared('lfw-dev-people') && hasShared('lfw-dev/pairsDevTrain.txt');

describe.runIf(present)('clustering development sets', () => {
  it('library: 91 x 20 celeba photos among 600 strangers seen once, none of them in lfw-dev-people', () => {
    const set = libraryLikeSet(SHARED_DIR);
    const celeba = set.photos.filter((p) => p.identity.startsWith('celeba_'));
    const strangers = set.photos.filter((p) => !p.identity.startsWith('celeba_'));
    expect(celeba).toHaveLength(1820);
    expect(new Set(celeba.map((p) => p.identity)).size).toBe(91);
    expect(strangers).toHaveLength(600);
    expect(new Set(strangers.map((p) => p.identity)).size).toBe(600);
    const lfwPeople = new Set(listIdentityTree(`${SHARED_DIR}/lfw-dev-people`).map((p) => p.identity));
    for (const s of strangers) {
      expect(lfwPeople.has(s.identity)).toBe(false);
      expect(basename(dirname(s.path))).toBe(s.identity);
    }
    // Drawn from the one-photo people of the View 1 training pairs, the same draw every time.
    const pool = new Set(lfwTrainSingletons(SHARED_DIR).map((p) => p.path));
    expect(strangers.every((s) => pool.has(s.path))).toBe(true);
    expect(libraryLikeSet(SHARED_DIR).photos).toEqual(set.photos);
  });

  it('library-sparse: 5 photos of each of the 91 celeba people among all 1,328 one-photo strangers', () => {
    const set = sparseLibrarySet(SHARED_DIR);
    const celeba = set.photos.filter((p) => p.identity.startsWith('celeba_'));
    const perPerson = new Map<string, number>();
    for (const p of celeba) perPerson.set(p.identity, (perPerson.get(p.identity) ?? 0) + 1);
    expect(perPerson.size).toBe(91);
    expect(new Set(perPerson.values())).toEqual(new Set([5]));
    expect(set.photos.length - celeba.length).toBe(lfwTrainSingletons(SHARED_DIR).length);
    expect(sparseLibrarySet(SHARED_DIR).photos).toEqual(set.photos);
  });

  it('the five sets, in report order, with their documented sizes', () => {
    const sets = developmentSets(SHARED_DIR);
    expect(sets.map((s) => [s.name, s.photos.length])).toEqual([
      ['library', 2420],
      ['lfw-dev-people', 2420],
      ['lfw-view1-train', 3443],
      ['family', 1820],
      ['library-sparse', 455 + 1328],
    ]);
  });
});
