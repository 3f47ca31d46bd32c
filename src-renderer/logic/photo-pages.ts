/**
 * Pure helpers of the Photos view: which pages of listPhotos a window of the grid needs, reading a photo out
 * of the pages loaded so far, and the words the view shows (dates, the title of a filter).
 */

/** Photos asked for in one listPhotos call: a few screens of 320 px cells. */
export const PHOTO_PAGE_SIZE = 150;

/** Page numbers that hold the items [start, end), in order (none for an empty range). */
export function pagesFor(start: number, end: number, pageSize = PHOTO_PAGE_SIZE): number[] {
  if (!(end > start) || start < 0) return [];
  const first = Math.floor(start / pageSize);
  const last = Math.floor((end - 1) / pageSize);
  const out: number[] = [];
  for (let p = first; p <= last; p++) out.push(p);
  return out;
}

/** Item `index` from the pages loaded so far (page number -> its items), or undefined while it is not. */
export function itemAt<T>(
  pages: ReadonlyMap<number, readonly T[]>,
  index: number,
  pageSize = PHOTO_PAGE_SIZE,
): T | undefined {
  return pages.get(Math.floor(index / pageSize))?.[index % pageSize];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 'YYYY-MM-DDTHH:MM:SS' (a capture date, no zone) -> its parts, or null when it is not one. */
function dateParts(text: string): { year: number; month: number; day: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!m) return null;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  return { year: Number(m[1]), month, day: Number(m[3]) };
}

/** "4 Jul 2021" (the date as the camera wrote it: no time zone is applied). */
export function formatDay(capturedAt: string): string {
  const d = dateParts(capturedAt);
  return d ? `${d.day} ${MONTHS[d.month - 1]} ${d.year}` : '';
}

/** "July 2021"-like short month and year, for the grid's "where am I" label: "Jul 2021". */
export function formatMonth(capturedAt: string): string {
  const d = dateParts(capturedAt);
  return d ? `${MONTHS[d.month - 1]} ${d.year}` : '';
}

/** "Anna", "Anna and Ben", "Anna, Ben and Cleo". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** What the grid shows, in words: "All photos", "Photos of Anna", "Photos of Anna and Ben together", "… in trips". */
export function photosTitle(people: readonly string[], folder: string | null): string {
  const who =
    people.length === 0
      ? null
      : people.length === 1
        ? `Photos of ${people[0]}`
        : `Photos of ${joinNames(people)} together`;
  if (who && folder) return `${who} in ${folder}`;
  if (who) return who;
  return folder ? `Photos in ${folder}` : 'All photos';
}

/** "1 photo", "12,345 photos". */
export function photoCount(n: number): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'photo' : 'photos'}`;
}
