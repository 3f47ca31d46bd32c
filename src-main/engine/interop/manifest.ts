/**
 * Export manifests: one row per exported face, as CSV (RFC 4180) and JSON.
 * Boxes are given in displayed pixels (what the app shows) and normalised to the displayed size, so a
 * consumer needs no knowledge of EXIF orientation.
 */
import type { Box } from '../../../src-shared/geometry.js';

export interface ManifestRow {
  person: string;
  photoPath: string;
  /** Where the folder export put the photo, if it did. */
  exportedPath?: string;
  /** Face box in displayed (EXIF-oriented) pixels. */
  box: Box;
  /** Displayed image size, for the normalised box. */
  imageWidth: number;
  imageHeight: number;
  /** Detector confidence, 0..1; null when the face came from an import, not a detector. */
  score: number | null;
  /** Distance of the face's embedding to the person (cosine distance); null when not computed. */
  distance: number | null;
  /** Confirmed by the user (or imported from XMP), or assigned automatically by clustering. */
  status: 'confirmed' | 'automatic';
}

export const CSV_COLUMNS = [
  'person',
  'photo_path',
  'exported_path',
  'box_x',
  'box_y',
  'box_width',
  'box_height',
  'norm_x',
  'norm_y',
  'norm_width',
  'norm_height',
  'image_width',
  'image_height',
  'detection_score',
  'distance',
  'status',
] as const;

export interface CsvOptions {
  /**
   * Prefix text cells that start with = + - @ (or a tab / CR) with an apostrophe, so a spreadsheet does
   * not run them as formulas (names may come from other people's XMP). Default true.
   */
  spreadsheetSafe?: boolean;
  /** Start with a UTF-8 byte-order mark so Excel detects UTF-8. Default false. */
  bom?: boolean;
}

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF, or leading/trailing space; quotes doubled. */
export function csvField(value: string | number | null | undefined, spreadsheetSafe = false): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  if (spreadsheetSafe && typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function normalised(row: ManifestRow): Box {
  return {
    x: round(row.box.x / row.imageWidth, 6),
    y: round(row.box.y / row.imageHeight, 6),
    width: round(row.box.width / row.imageWidth, 6),
    height: round(row.box.height / row.imageHeight, 6),
  };
}

function pixels(b: Box): Box {
  return { x: round(b.x, 2), y: round(b.y, 2), width: round(b.width, 2), height: round(b.height, 2) };
}

export function manifestCsv(rows: readonly ManifestRow[], options: CsvOptions = {}): string {
  const safe = options.spreadsheetSafe ?? true;
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) {
    const px = pixels(r.box);
    const n = normalised(r);
    const cells: (string | number | null | undefined)[] = [
      r.person,
      r.photoPath,
      r.exportedPath,
      px.x,
      px.y,
      px.width,
      px.height,
      n.x,
      n.y,
      n.width,
      n.height,
      r.imageWidth,
      r.imageHeight,
      r.score === null ? null : round(r.score, 6),
      r.distance === null ? null : round(r.distance, 6),
      r.status,
    ];
    lines.push(cells.map((c) => csvField(c, safe)).join(','));
  }
  return (options.bom ? '\uFEFF' : '') + lines.join('\r\n') + '\r\n';
}

/** JSON manifest: `{ version: 1, faces: [...] }` with both the pixel and the normalised box. */
export function manifestJson(rows: readonly ManifestRow[]): string {
  const faces = rows.map((r) => ({
    person: r.person,
    photoPath: r.photoPath,
    ...(r.exportedPath !== undefined ? { exportedPath: r.exportedPath } : {}),
    box: pixels(r.box),
    boxNormalised: normalised(r),
    imageWidth: r.imageWidth,
    imageHeight: r.imageHeight,
    detectionScore: r.score === null ? null : round(r.score, 6),
    distance: r.distance === null ? null : round(r.distance, 6),
    status: r.status,
  }));
  return JSON.stringify({ version: 1, faces }, null, 2) + '\n';
}

/** Parses CSV text written by manifestCsv (RFC 4180 quoting); used by tests and by re-import tooling. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && s[i + 1] === '\n') {
      // handled by the \n branch
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
