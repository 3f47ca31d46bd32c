/** The CLI's words for photos kept while their folder is not reachable (issue 12 item 1). */
import { describe, expect, it } from 'vitest';
import type { IndexSummary } from '../../../../src-main/engine/indexing/indexer.js';
import { describeOffline } from '../../../../src-main/hosts/cli/library/format.js';
import { describeWatchRun } from '../../../../src-main/hosts/cli/library/watching.js';

describe('offline report', () => {
  it('index and status name each unreachable folder and count the photos kept', () => {
    expect(describeOffline({ photos: 0, folders: [] })).toEqual([]);
    expect(describeOffline({ photos: 3, folders: ['/mnt/drive'] })).toEqual([
      '3 photo(s) offline, kept until their folder is back or removed from the library',
      'folder not reachable: /mnt/drive',
    ]);
  });

  it('a watch run says the folder is not reachable and how many photos it kept', () => {
    const summary = { analysed: 0, reused: 0, facesFound: 0, moved: 0, removed: 0, failed: 0, offline: 2 };
    const text = describeWatchRun(
      { ...summary, unreachable: ['/mnt/drive'] } as unknown as IndexSummary,
      ['/mnt/drive/a.jpg'],
      '/',
    );
    expect(text).toContain('0 removed');
    expect(text).toContain('2 kept offline');
    expect(text).toContain('folder not reachable: /mnt/drive');
  });
});
