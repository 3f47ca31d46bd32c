/**
 * Parser for LFW pairs files (http://vis-www.cs.umass.edu/lfw/, "pairs.txt" format).
 *
 * Two headers exist:
 * - View 1 (pairsDevTrain.txt, pairsDevTest.txt): a single number `N`, then N same-person pairs, then N
 *   different-person pairs. View 1 has no folds, but the 10-fold protocol needs them, so we assign them:
 *   the i-th same pair (0-based) goes to fold floor(i * 10 / N), and likewise the i-th different pair.
 *   Each fold therefore holds N/10 same and N/10 different pairs (sizes differ by at most one when N is not
 *   a multiple of 10), and folds are contiguous runs of the file. The files are sorted by name, so contiguous
 *   folds keep most identities inside one fold, as View 2's folds do (random folds would leak identities
 *   between the threshold-choosing and the measured folds).
 * - View 2 (pairs.txt): `F N`, then F folds, each N same pairs followed by N different pairs.
 *
 * Lines are `Name i j` (same person, images i and j) or `Name1 i Name2 j` (different people), fields
 * separated by tabs or spaces. Image i of Name lives at `<Name>/<Name>_<i as 4 digits>.jpg`.
 */

export interface LfwImageRef {
  name: string;
  /** 1-based image number as written in the file. */
  index: number;
  /** Path relative to the images root, with forward slashes: `Name/Name_0001.jpg`. */
  path: string;
}

export interface LfwPair {
  a: LfwImageRef;
  b: LfwImageRef;
  same: boolean;
  /** 0-based fold. */
  fold: number;
  /** 1-based line number in the file, for error messages downstream. */
  line: number;
}

export interface LfwPairs {
  /** 'view1' for an `N` header, 'view2' for an `F N` header. */
  format: 'view1' | 'view2';
  folds: number;
  /** Same pairs per fold in view2; N (same pairs overall) in view1. */
  pairsPerSet: number;
  pairs: LfwPair[];
}

/** Image path relative to the LFW images root, e.g. lfwImagePath('Ann', 3) = 'Ann/Ann_0003.jpg'. */
export function lfwImagePath(name: string, index: number): string {
  return `${name}/${name}_${String(index).padStart(4, '0')}.jpg`;
}

/** Number of folds assigned to View 1 files. */
export const VIEW1_FOLDS = 10;

function parsePositiveInt(s: string, what: string, line: number): number {
  if (!/^\d+$/.test(s)) throw new SyntaxError(`line ${line}: ${what} "${s}" is not a non-negative integer`);
  return Number(s);
}

function imageRef(name: string, index: string, line: number): LfwImageRef {
  const i = parsePositiveInt(index, 'image number', line);
  if (i < 1) throw new SyntaxError(`line ${line}: image numbers start at 1`);
  return { name, index: i, path: lfwImagePath(name, i) };
}

/** Parse the text of a pairs file. Throws SyntaxError naming the line on any malformed or missing line. */
export function parseLfwPairs(text: string): LfwPairs {
  // Keep original line numbers; ignore blank lines (trailing newline, CRLF files).
  const lines = text
    .split(/\r?\n/)
    .map((raw, k) => ({ fields: raw.trim().split(/[\t ]+/), line: k + 1 }))
    .filter((l) => l.fields.length > 0 && l.fields[0] !== '');
  const header = lines.shift();
  if (!header) throw new SyntaxError('empty pairs file');
  let format: LfwPairs['format'];
  let folds: number;
  let n: number;
  if (header.fields.length === 1) {
    format = 'view1';
    folds = VIEW1_FOLDS;
    n = parsePositiveInt(header.fields[0] as string, 'pair count', header.line);
  } else if (header.fields.length === 2) {
    format = 'view2';
    folds = parsePositiveInt(header.fields[0] as string, 'fold count', header.line);
    n = parsePositiveInt(header.fields[1] as string, 'pair count', header.line);
  } else {
    throw new SyntaxError(`line ${header.line}: header must be "N" or "F N"`);
  }
  if (n < 1 || folds < 1) throw new SyntaxError(`line ${header.line}: empty header counts`);
  // Sets of N same then N different pairs: one set for view1, one per fold for view2.
  const sets = format === 'view1' ? 1 : folds;
  const expected = sets * 2 * n;
  if (lines.length !== expected) {
    throw new SyntaxError(`expected ${expected} pair lines after the header, found ${lines.length}`);
  }
  const pairs: LfwPair[] = lines.map(({ fields, line }, k) => {
    const set = Math.floor(k / (2 * n));
    const within = k % (2 * n);
    const same = within < n;
    const i = same ? within : within - n;
    const fold = format === 'view1' ? Math.floor((i * VIEW1_FOLDS) / n) : set;
    if (same) {
      if (fields.length !== 3) throw new SyntaxError(`line ${line}: expected a same pair "Name i j"`);
      const [name, i1, i2] = fields as [string, string, string];
      return { a: imageRef(name, i1, line), b: imageRef(name, i2, line), same, fold, line };
    }
    if (fields.length !== 4) throw new SyntaxError(`line ${line}: expected a different pair "Name1 i Name2 j"`);
    const [n1, i1, n2, i2] = fields as [string, string, string, string];
    return { a: imageRef(n1, i1, line), b: imageRef(n2, i2, line), same, fold, line };
  });
  return { format, folds, pairsPerSet: n, pairs };
}
