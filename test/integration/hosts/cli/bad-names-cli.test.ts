/**
 * Issue 12 item 8 through the real CLI: a photo whose file name is not valid UTF-8 is listed by
 * `facenet errors` (shown with U+FFFD for the bad bytes) with a plain reason, and the command exits 0.
 * One tiny synthetic photo, so the real pipeline has little to do.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LATIN1_PHOTO, badNamesSupported, lossy, makePhotoAt } from '../../../helpers/bad-names.js';
import { tempDir } from '../../../helpers/tmp.js';
import { facenet } from '../../../helpers/facenet-cli.js';

const supported = badNamesSupported();
if (!supported) console.warn('this file system refuses names that are not valid UTF-8: bad-name CLI test skipped');

const tmp = tempDir('facenet-cli-bad-names-');
afterAll(() => tmp.cleanup());

describe.runIf(supported)('facenet errors: names that are not valid UTF-8', () => {
  it('lists the photo with a plain reason and exits 0', async () => {
    const photos = join(tmp.dir, 'photos');
    const library = join(tmp.dir, 'lib', 'library.db');
    mkdirSync(photos, { recursive: true });
    await makePhotoAt(photos, [LATIN1_PHOTO], { size: 32 });

    const indexed = facenet(['index', photos, '--library', library]);
    expect(indexed.stderr).not.toMatch(/\n\s+at /);
    expect(indexed.code).toBe(0);
    expect(indexed.stdout).toMatch(/1 failed/);

    const listed = facenet(['errors', '--library', library]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(lossy(photos, LATIN1_PHOTO));
    expect(listed.stdout).toContain('the file name is not valid UTF-8');
    expect(listed.stdout).toContain('rename the file to index it');

    const json = facenet(['errors', '--library', library, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ path: lossy(photos, LATIN1_PHOTO), reason: 'unreadable' }),
    ]);
  }, 120_000);
});
