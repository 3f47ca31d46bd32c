/** The Export dialog's form state, and the request and summaries built from it (pure). */
import type {
  ApiArgs,
  ExportFormatDto as ExportFormat,
  ExportResultDto,
  ImportResultDto,
  LinkModeDto as LinkMode,
  SidecarNamingDto as SidecarNaming,
} from '../../src-shared/api.js';
import { plural } from '../../src-shared/words.js';

export type { ExportFormat, LinkMode, SidecarNaming };

export const EXPORT_FORMATS: ReadonlyArray<{ value: ExportFormat; label: string }> = [
  { value: 'folders', label: 'Folders (one per person)' },
  { value: 'csv', label: 'CSV manifest' },
  { value: 'json', label: 'JSON manifest' },
  { value: 'xmp', label: 'XMP sidecars next to the photos' },
];

export interface ExportForm {
  format: ExportFormat;
  out: string;
  link: LinkMode;
  sidecar: SidecarNaming;
  confirmedOnly: boolean;
}

export const INITIAL_EXPORT_FORM: ExportForm = {
  format: 'folders',
  out: '',
  link: 'symlink',
  sidecar: 'photo.jpg.xmp',
  confirmedOnly: false,
};

/** xmp writes next to the photos; every other format needs an output folder. */
export function needsOutFolder(format: ExportFormat): boolean {
  return format !== 'xmp';
}

/** The request for `exportPeople`, or the reason the form cannot be submitted yet. */
export function buildExportRequest(
  form: ExportForm,
  personIds?: readonly number[],
): { request: ApiArgs<'exportPeople'> } | { error: string } {
  const out = form.out.trim();
  if (needsOutFolder(form.format) && !out) return { error: 'Choose an output folder.' };
  const request: ApiArgs<'exportPeople'> = { format: form.format };
  if (needsOutFolder(form.format)) request.out = out;
  if (personIds && personIds.length) request.personIds = [...personIds];
  if (form.format === 'folders') request.link = form.link;
  if (form.format === 'xmp') request.sidecar = form.sidecar;
  if (form.confirmedOnly) request.confirmedOnly = true;
  return { request };
}

export function exportSummary(r: ExportResultDto): string {
  const parts = [plural(r.people, 'person', 'people'), plural(r.photos, 'photo'), plural(r.faces, 'face')];
  let done = `${plural(r.written, 'file')} written`;
  if (r.reused) done += `, ${r.reused} already there`;
  if (r.errors.length) done += `, ${plural(r.errors.length, 'error')}`;
  return `Exported ${parts.join(' · ')}: ${done}.`;
}

export function importSummary(r: ImportResultDto): string {
  let s =
    `${plural(r.regions, 'named region')} in ${plural(r.photosWithRegions, 'photo')}: ` +
    `${r.matched} matched, ${r.created} added, ${r.alreadyConfirmed} already confirmed; ` +
    `${plural(r.people, 'person', 'people')} (${r.newPeople} new).`;
  if (r.conflicts.length) s += ` ${plural(r.conflicts.length, 'conflict')}.`;
  if (r.notIndexed.length) s += ` ${plural(r.notIndexed.length, 'photo')} not indexed yet.`;
  if (r.errors.length) s += ` ${plural(r.errors.length, 'error')}.`;
  return s;
}
