/**
 * The clustering development sets, built from the shared face data (`../shared`) alone: lists of labelled
 * photo paths, nothing is copied. The selection rule they serve is written in docs/clustering-threshold.md.
 *
 * - `library`: what a family library looks like to the product: the 91 celeba-people identities (20 photos
 *   each) among 600 strangers seen once. The strangers are single-image identities of lfw-dev (people with
 *   exactly one image under lfw-dev/images) that LFW View 1 training pairs reference, so none of them is in
 *   lfw-dev-people (View 1 test identities); the first 600 by SHA-256 of the name, a fixed draw spread over
 *   the alphabet.
 * - `lfw-dev-people`: the folder-per-identity set as it is.
 * - `lfw-view1-train`: the images of LFW View 1 training pairs, labelled by person.
 * - `family`: celeba-people alone: a few people seen many times, no strangers.
 * - `library-sparse`: 5 photos of each celeba-people identity among every one-photo stranger of the View 1
 *   training pairs (1,328): more strangers, fewer photos per person.
 * Face ids (and the cache keys behind them) are paths relative to the shared folder, so one photo has one
 * embedding whichever set it is read through.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { listIdentityTree, listPairsPhotos, type LabelledPhoto } from './cluster.js';

export interface PhotoSet {
  name: string;
  /** One line on what the set is. */
  description: string;
  photos: LabelledPhoto[];
}

/** Strangers seen once in the library-like set. */
export const LIBRARY_STRANGERS = 600;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const byPath = (a: LabelledPhoto, b: LabelledPhoto): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** Identities with exactly one image under lfw-dev/images, among the people View 1 training pairs name. */
export function lfwTrainSingletons(shared: string): LabelledPhoto[] {
  const images = join(shared, 'lfw-dev', 'images');
  const train = listPairsPhotos(join(shared, 'lfw-dev', 'pairsDevTrain.txt'), images);
  const trainNames = new Set(train.map((p) => p.identity));
  const out: LabelledPhoto[] = [];
  for (const name of [...trainNames].sort()) {
    const files = readdirSync(join(images, name)).filter((f) => !f.startsWith('.'));
    if (files.length === 1) out.push({ path: join(images, name, files[0] as string), identity: name });
  }
  return out;
}

/** The library-like set: celeba-people among `strangers` one-photo LFW people (see the module comment). */
export function libraryLikeSet(shared: string, strangers = LIBRARY_STRANGERS): PhotoSet {
  const people = listIdentityTree(join(shared, 'celeba-people'));
  const drawn = lfwTrainSingletons(shared)
    .map((p) => ({ p, h: sha256(p.identity) }))
    .sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0))
    .slice(0, strangers)
    .map(({ p }) => p);
  const identities = new Set(people.map((p) => p.identity)).size;
  return {
    name: 'library',
    description: `${identities} celeba-people identities among ${drawn.length} strangers seen once (lfw-dev)`,
    photos: [...people, ...drawn].sort(byPath),
  };
}

/** Photos of each identity in `library-sparse`. */
export const SPARSE_PHOTOS_PER_PERSON = 5;

/** celeba-people, `perPerson` photos of each (the first by SHA-256 of the file name), among every one-photo stranger. */
export function sparseLibrarySet(shared: string, perPerson = SPARSE_PHOTOS_PER_PERSON): PhotoSet {
  const byIdentity = new Map<string, LabelledPhoto[]>();
  for (const p of listIdentityTree(join(shared, 'celeba-people'))) {
    const list = byIdentity.get(p.identity) ?? [];
    list.push(p);
    byIdentity.set(p.identity, list);
  }
  const people = [...byIdentity.values()].flatMap((photos) =>
    photos
      .map((p) => ({ p, h: sha256(basename(p.path)) }))
      .sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0))
      .slice(0, perPerson)
      .map(({ p }) => p),
  );
  const strangers = lfwTrainSingletons(shared);
  return {
    name: 'library-sparse',
    description: `${byIdentity.size} celeba-people identities, ${perPerson} photos each, among ${strangers.length} strangers seen once (lfw-dev)`,
    photos: [...people, ...strangers].sort(byPath),
  };
}

/** Every development set, in the order the reports print them; throws when `shared` lacks one. */
export function developmentSets(shared: string): PhotoSet[] {
  for (const sub of ['celeba-people', 'lfw-dev-people', 'lfw-dev/pairsDevTrain.txt', 'lfw-dev/images']) {
    if (!existsSync(join(shared, sub))) throw new Error(`${join(shared, sub)}: missing (the shared face data)`);
  }
  return [
    libraryLikeSet(shared),
    {
      name: 'lfw-dev-people',
      description: 'LFW View 1 test people, every photo (folder per identity)',
      photos: listIdentityTree(join(shared, 'lfw-dev-people')),
    },
    {
      name: 'lfw-view1-train',
      description: 'images of LFW View 1 training pairs, labelled by person',
      photos: listPairsPhotos(join(shared, 'lfw-dev', 'pairsDevTrain.txt'), join(shared, 'lfw-dev', 'images')),
    },
    { ...libraryLikeSet(shared, 0), name: 'family', description: 'celeba-people alone: a few people seen many times' },
    sparseLibrarySet(shared),
  ];
}

/** A folder-per-identity check set, named after its folder. */
export function folderSet(root: string, name: string): PhotoSet {
  return { name, description: `folder per identity: ${root}`, photos: listIdentityTree(root) };
}
