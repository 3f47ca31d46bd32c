/**
 * Faces below the quality floor attached after the grouping (FaceClusterer `belowFloor: 'attach'`,
 * below-floor.ts). Faces lie on a circle (circle-faces.ts): two faces t degrees apart are 2 - 2cos(t) apart
 * in squared L2, so at threshold 1.0 one face joins another within 60 degrees. Plain average linkage
 * (`adaptive: {}`) keeps the arithmetic checkable by hand.
 */
import { describe, expect, it } from 'vitest';
import { FaceClusterer, type FaceClustererOptions } from '../../../../src-main/engine/people/clusterer.js';
import type { FaceRecord } from '../../../../src-main/engine/people/faces.js';
import { circleFaces } from '../../../helpers/circle-faces.js';

const LOW = { quality: 0.05 };
const GOOD = { quality: 0.9 };
const attach: FaceClustererOptions = { threshold: 1.0, minQuality: 0.2, adaptive: {}, belowFloor: 'attach' };

const groups = (faces: readonly FaceRecord[], options = attach, constraints = {}) => {
  const r = new FaceClusterer(options).fit(faces, constraints);
  return { clusters: r.clusters.map((c) => c.faces), unsorted: r.unsorted, result: r };
};

describe('faces below the quality floor, attached after the grouping', () => {
  it('a blurry face inside a group joins it; left in Unsorted without the option', () => {
    const faces = circleFaces([0, 10, 5], [GOOD, GOOD, LOW]);
    expect(groups(faces).clusters).toEqual([[0, 1, 2]]);
    expect(groups(faces, { ...attach, belowFloor: 'unsorted' })).toMatchObject({ clusters: [[0, 1]], unsorted: [2] });
  });

  it('never bridges two groups: it joins the nearer one, and the groups stay apart', () => {
    // With single linkage a face at 54 degrees chains 0/10 to 100/110 (44 and 46 degrees: within 1.1) when it
    // takes part in the grouping; below the floor it only joins the nearer side (mean 0.693 vs 0.747).
    const degrees = [0, 10, 100, 110, 54];
    const single: FaceClustererOptions = { ...attach, linkage: 'single', threshold: 1.1 };
    expect(groups(circleFaces(degrees, [GOOD, GOOD, GOOD, GOOD, GOOD]), single).clusters).toEqual([[0, 1, 2, 3, 4]]);
    expect(groups(circleFaces(degrees, [GOOD, GOOD, GOOD, GOOD, LOW]), single).clusters).toEqual([
      [0, 1, 4],
      [2, 3],
    ]);
  });

  it('stays in Unsorted when no group is within the threshold on average', () => {
    // 50 and 70 degrees from the pair: mean 2 - 2cos = (0.714 + 1.316) / 2 = 1.015 > 1.
    const r = groups(circleFaces([0, 20, 70], [GOOD, GOOD, LOW]));
    expect(r).toMatchObject({ clusters: [[0, 1]], unsorted: [2] });
    expect(r.result.labels[2]).toBe(2);
  });

  it('is labelled with the group it joined, and never renames the group', () => {
    const faces = circleFaces([5, 0, 10], [LOW, GOOD, GOOD]).map((f, i) => ({ ...f, id: [1, 5, 9][i]! }));
    const r = groups(faces).result;
    expect(r.clusters).toEqual([{ id: 5, faces: [1, 5, 9] }]);
    expect(r.labels).toEqual([5, 5, 5]);
  });

  it('never joins a group holding a face of its own photo, and falls back to the next group', () => {
    const faces = circleFaces([0, 10, 100, 110, 40], [GOOD, GOOD, GOOD, GOOD, LOW]);
    faces[0]!.photoId = 'p';
    faces[4]!.photoId = 'p';
    // Nearest is the 0/10 group (mean over 40/30 degrees); the 100/110 group is 60/70 away: mean 1.158.
    expect(groups(faces, { ...attach, threshold: 1.2 }).clusters).toEqual([
      [0, 1],
      [2, 3, 4],
    ]);
    expect(groups(faces)).toMatchObject({
      clusters: [
        [0, 1],
        [2, 3],
      ],
      unsorted: [4],
    });
  });

  it('two blurry faces of one photo never join the same group: the first in canonical order does', () => {
    const faces = circleFaces([0, 10, 4, 6], [GOOD, GOOD, LOW, LOW]);
    faces[2]!.photoId = 'q';
    faces[3]!.photoId = 'q';
    expect(groups(faces)).toMatchObject({ clusters: [[0, 1, 2]], unsorted: [3] });
  });

  it('never joins a person the user said it is not', () => {
    const faces = circleFaces([0, 10, 5], [GOOD, GOOD, LOW]);
    const r = groups(faces, attach, { people: [{ personId: 'ann', confirmed: [0, 1], rejected: [2] }] });
    expect(r).toMatchObject({ clusters: [[0, 1]], unsorted: [2] });
  });

  it('judges a named person by the faces the user confirmed, not by what joined it since', () => {
    // Confirmed 0; 50 joined it (0.714 from the anchor). A blurry face at 80: mean over both members 0.96
    // (within 1), but 1.653 from the confirmed face: it stays out.
    const faces = circleFaces([0, 50, 80], [GOOD, GOOD, LOW]);
    const people = [{ personId: 'ann', confirmed: [0] }];
    expect(groups(faces, attach, { people })).toMatchObject({ clusters: [[0, 1]], unsorted: [2] });
    const unnamed = groups(circleFaces([0, 50, 80], [GOOD, GOOD, LOW]));
    expect(unnamed.clusters).toEqual([[0, 1, 2]]);
  });

  it('gives the same people whatever the input order', () => {
    const faces = circleFaces([0, 8, 4, 100, 104, 52, 106, 300], [GOOD, GOOD, LOW, GOOD, GOOD, LOW, LOW, LOW]);
    faces[2]!.photoId = 'x';
    faces[6]!.photoId = 'x';
    const forward = groups(faces).result;
    const backward = groups([...faces].reverse()).result;
    expect(backward.clusters).toEqual(forward.clusters);
    expect(backward.unsorted).toEqual(forward.unsorted);
  });

  it('judges a face as the agglomeration judges a single face joining a group (the spread credit)', () => {
    // A diffuse group (0, 40) and a face at 80: mean 2 - 2cos over 80/40 = 1.06; the group's spread is
    // 1 - cos^2(20) = 0.117, so with spread credit 1 the value is 0.943: within 1.0.
    const faces = circleFaces([0, 40, 80], [GOOD, GOOD, LOW]);
    expect(groups(faces).unsorted).toEqual([2]);
    expect(groups(faces, { ...attach, adaptive: { spread: 1 } }).clusters).toEqual([[0, 1, 2]]);
  });
});
