import { describe, expect, it } from 'vitest';
import type { ExportResultDto, ImportResultDto } from '../../../src-shared/api.js';
import {
  buildExportRequest,
  exportSummary,
  importSummary,
  INITIAL_EXPORT_FORM,
} from '../../../src-renderer/logic/export-form.js';

describe('export form', () => {
  it('needs an output folder except for xmp', () => {
    expect(buildExportRequest({ ...INITIAL_EXPORT_FORM, format: 'csv', out: '  ' })).toEqual({
      error: 'Choose an output folder.',
    });
    expect(buildExportRequest({ ...INITIAL_EXPORT_FORM, format: 'xmp', out: '' })).toEqual({
      request: { format: 'xmp', sidecar: 'photo.jpg.xmp' },
    });
  });

  it('builds the request: link mode only for folders, person ids when given', () => {
    expect(buildExportRequest({ ...INITIAL_EXPORT_FORM, out: ' /tmp/out ', link: 'copy' }, [3])).toEqual({
      request: { format: 'folders', out: '/tmp/out', personIds: [3], link: 'copy' },
    });
    expect(buildExportRequest({ ...INITIAL_EXPORT_FORM, format: 'json', out: '/o', confirmedOnly: true }, [])).toEqual({
      request: { format: 'json', out: '/o', confirmedOnly: true },
    });
  });

  it('summarises results', () => {
    const r: ExportResultDto = {
      format: 'csv',
      out: '/o',
      people: 1,
      photos: 2,
      faces: 3,
      written: 1,
      reused: 0,
      files: ['/o/people.csv'],
      errors: [],
    };
    expect(exportSummary(r)).toBe('Exported 1 person · 2 photos · 3 faces: 1 file written.');
    const i: ImportResultDto = {
      photos: 4,
      photosWithRegions: 2,
      regions: 3,
      unnamedRegions: 0,
      matched: 2,
      created: 1,
      alreadyConfirmed: 0,
      people: 2,
      newPeople: 1,
      conflicts: [],
      notIndexed: ['/a.jpg'],
      errors: [],
      reclustered: null,
    };
    expect(importSummary(i)).toBe(
      '3 named regions in 2 photos: 2 matched, 1 added, 0 already confirmed; 2 people (1 new). 1 photo not indexed yet.',
    );
  });
});
