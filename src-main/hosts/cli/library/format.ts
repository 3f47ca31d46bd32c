/**
 * Plain-text tables and lines for the library commands (JSON output is printed as-is, where JSON escapes
 * control characters). Text from the library or from files (names, paths, error details) goes through
 * `printable`, so an ESC or a bidi override in a name cannot drive or reorder the terminal.
 */
import type { PersonDetailDto, PersonSummaryDto, PhotoErrorDto, StatusDto } from '../../../../src-shared/api.js';
import { printable } from '../../../../src-shared/names.js';
import { describeSkipped } from '../../../../src-shared/photo-formats.js';
import { personName } from '../../../../src-shared/person-name.js';

export { printable };

/** A table of left-aligned columns; every cell is made printable first (so widths are what is shown). */
export function table(header: string[], rawRows: string[][]): string {
  const rows = rawRows.map((r) => r.map((c) => printable(c)));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/**
 * Photos kept while their folder is not reachable (unmounted drive, permission denied): one line for the count,
 * one per folder.
 */
export function describeOffline(offline: { photos: number; folders: string[] }): string[] {
  if (offline.photos === 0) return [];
  return [
    `${offline.photos} photo(s) offline, kept until their folder is back or removed from the library`,
    ...offline.folders.map((f) => `folder not reachable: ${f}`),
  ];
}

export function formatStatus(s: StatusDto, libraryPath: string): string {
  const lines = [
    `library      ${printable(libraryPath)}`,
    `folders      ${s.folders}`,
    `photos       ${s.photos.total} (${s.photos.done} indexed, ${s.photos.pending} pending, ${s.photos.error} failed)`,
    `faces        ${s.faces} (${s.unsortedFaces} unsorted${s.ignoredFaces ? `, ${s.ignoredFaces} ignored` : ''})`,
    `people       ${s.people} (${s.namedPeople} named)`,
    `decisions    ${s.decisions}${s.orphanedDecisions ? ` (+${s.orphanedDecisions} waiting for their photos)` : ''}`,
  ];
  if (s.formats?.length) lines.push(`formats      ${s.formats.map((f) => `${f.photos} ${f.format}`).join(', ')}`);
  for (const k of s.skipped ?? []) lines.push(`skipped      ${describeSkipped(k)}`);
  if (s.offline?.photos) lines.push(...describeOffline(s.offline).map((l) => `offline      ${l}`));
  if (s.modelVersion) lines.push(`model        ${s.modelVersion}`);
  if (s.indexing) lines.push(`indexing     ${s.indexing.done}/${s.indexing.total}`);
  return lines.join('\n');
}

export function formatErrors(errors: PhotoErrorDto[]): string {
  if (errors.length === 0) return 'no failed photos';
  return table(
    ['photo', 'reason', 'path', 'detail'],
    errors.map((e) => [String(e.photoId), e.reason, e.path, e.detail ?? '']),
  );
}

export function formatPeople(people: PersonSummaryDto[]): string {
  if (people.length === 0) return 'no people yet (run facenet index <folder>)';
  return table(
    ['id', 'name', 'faces', 'confirmed', 'hidden'],
    people.map((p) => [
      String(p.id),
      personName(p),
      String(p.faceCount),
      String(p.confirmedCount),
      p.hidden ? 'yes' : '',
    ]),
  );
}

export function formatPerson(d: PersonDetailDto): string {
  const p = d.person;
  const head = `${printable(personName(p))}${p.name ? `  #${p.id}` : ''}  ${p.faceCount} faces, ${p.confirmedCount} confirmed${p.hidden ? ', hidden' : ''}`;
  const rows = d.faces.map((f) => [
    String(f.id),
    String(f.photoId),
    f.assignment ?? '',
    f.distance === null ? '' : f.distance.toFixed(3),
    f.quality.toFixed(2),
  ]);
  return `${head}\n${table(['face', 'photo', 'assignment', 'distance', 'quality'], rows)}`;
}
