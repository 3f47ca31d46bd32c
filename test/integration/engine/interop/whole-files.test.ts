/**
 * Exports killed mid-copy: what a killed writer leaves (a partial temporary file, never a partial photo under
 * the real name) is removed by the next export, which then ends exactly where an undisturbed export ends. The
 * writers here are real processes killed with SIGKILL; a writer still running keeps its temporary file, and in
 * the photos' own folders only the temporary files of the sidecars being written are removed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFolders } from '../../../../src-main/engine/interop/folder-export.js';
import { sidecarPath, writeFaceSidecars } from '../../../../src-main/engine/interop/sidecar.js';
import {
  copyFileWhole,
  removeDeadWritersTemps,
  replaceFileWhole,
} from '../../../../src-main/engine/interop/whole-files.js';
import { mountExfatVolume } from '../../../helpers/exfat-volume.js';
import { makeOrientedJpeg } from '../../../helpers/oriented-photos.js';
import { tempDir } from '../../../helpers/tmp.js';

let dir: string;
let cleanup: () => void;
let photo: string;
let bytes: Buffer;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('facenet-whole-files-'));
  photo = join(dir, 'IMG_0001.jpg');
  bytes = randomBytes(256 * 1024);
  await writeFile(photo, bytes);
});
afterAll(() => cleanup?.());

/** A real process that writes half of `bytes` to a temporary file named as ours would be, then is SIGKILLed. */
function killedWriterLeaves(dest: string): string {
  const script = `
    const fs = require('node:fs');
    const tmp = process.argv[1] + '.' + process.pid + '.0badc0de.tmp';
    fs.writeFileSync(tmp, Buffer.alloc(${bytes.length / 2}, 7));
    process.stdout.write(tmp);
    process.kill(process.pid, 'SIGKILL');`;
  const r = spawnSync(process.execPath, ['-e', script, dest], { encoding: 'utf8' });
  expect(r.signal).toBe('SIGKILL');
  return r.stdout;
}

describe('whole files in the user folders', () => {
  it("keeps a running writer's temporary file and removes only files named as ours", async () => {
    const folder = join(dir, 'mixed');
    await mkdir(folder);
    const running = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    try {
      const live = `a.jpg.${running.pid}.0123abcd.tmp`;
      const dead = killedWriterLeaves(join(folder, 'b.jpg')).slice(folder.length + 1);
      const users = ['notes.tmp', 'c.jpg.12.tmp', 'd.jpg.1.0123abcd.tmp.jpg'];
      for (const name of [live, ...users]) await writeFile(join(folder, name), 'x');
      await mkdir(join(folder, `e.jpg.${deadPid()}.0123abcd.tmp`)); // a folder: never removed

      const left = await removeDeadWritersTemps(folder);
      const now = await readdir(folder);
      expect(left.sort()).toEqual([...now].sort()); // the listing after removal, as the folder holds it
      expect(now).not.toContain(dead);
      expect(now.sort()).toEqual([live, ...users, `e.jpg.${deadPid()}.0123abcd.tmp`].sort());
    } finally {
      running.kill('SIGKILL');
    }
  });

  it("a sidecar batch removes a killed sidecar write's temporary file, and no one else's", async () => {
    const folder = join(dir, 'photos');
    await mkdir(folder);
    const fixture = await makeOrientedJpeg(join(folder, 'IMG_0002.jpg'), 1, [{ x: 16, y: 16, width: 48, height: 32 }]);
    const mine = killedWriterLeaves(sidecarPath(fixture.path)).slice(folder.length + 1);
    // Another program's file in the user's folder, named in our pattern by a process that is gone: not ours.
    const theirs = killedWriterLeaves(join(folder, 'holiday.jpg')).slice(folder.length + 1);
    const r = await writeFaceSidecars([
      { photoPath: fixture.path, regions: [{ name: 'Ann', box: { x: 16, y: 16, width: 48, height: 32 } }] },
    ]);
    expect(r.errors).toEqual([]);
    const now = await readdir(folder);
    expect(now).not.toContain(mine);
    expect(now.sort()).toEqual(['IMG_0002.jpg', 'IMG_0002.jpg.xmp', theirs].sort());
    expect(await readFile(sidecarPath(fixture.path), 'utf8')).toContain('mwg-rs:Name="Ann"');
  });

  it('replaces a file whole and leaves no temporary file behind', async () => {
    const file = join(dir, 'manifest.csv');
    await replaceFileWhole(file, 'old');
    await replaceFileWhole(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    expect((await readdir(dir)).filter((n) => n.startsWith('manifest.csv'))).toEqual(['manifest.csv']);
  });
});

/**
 * Copies on this machine's disk (hard links) and on a real exFAT volume, as on a USB drive (no hard links: the
 * copy is renamed into place after a check that the name is free).
 */
const exfat = mountExfatVolume();
afterAll(() => {
  if ('unmount' in exfat) exfat.unmount();
});
const volumes = [
  { name: "this machine's disk", root: () => dir, hardLinks: true, skip: undefined },
  {
    name: `an exFAT volume${'skip' in exfat ? ` (skipped: ${exfat.skip})` : ''}`,
    root: () => ('dir' in exfat ? exfat.dir : ''),
    hardLinks: false,
    skip: 'skip' in exfat ? exfat.skip : undefined,
  },
];

describe.each(volumes)('whole copies on $name', ({ root: rootOf, hardLinks, skip }) => {
  let root: string;
  beforeAll(() => {
    root = rootOf();
  });

  it.skipIf(skip !== undefined)(`${hardLinks ? 'has' : 'has no'} hard links`, async () => {
    await writeFile(join(root, 'linked-source'), 'x');
    const linked = link(join(root, 'linked-source'), join(root, 'linked-name'));
    if (hardLinks) await expect(linked).resolves.toBeUndefined();
    else await expect(linked).rejects.toMatchObject({ code: 'EPERM' });
  });

  it.skipIf(skip !== undefined)(
    'an export after a copy killed mid-way removes its remains and ends as an undisturbed export',
    async () => {
      const undisturbed = await exportFolders([{ person: 'Ann', photoPath: photo }], join(root, 'clean'), {
        mode: 'copy',
      });
      const out = join(root, 'killed');
      await mkdir(join(out, 'Ann'), { recursive: true });
      const left = killedWriterLeaves(join(out, 'Ann', 'IMG_0001.jpg'));
      expect(await readdir(join(out, 'Ann'))).toEqual([left.slice(join(out, 'Ann').length + 1)]);

      const r = await exportFolders([{ person: 'Ann', photoPath: photo }], out, { mode: 'copy' });
      expect(r.errors).toEqual([]);
      expect(await readdir(join(out, 'Ann'))).toEqual(['IMG_0001.jpg']); // no "IMG_0001 (2).jpg", no temp
      expect(r.files.map((f) => f.outPath.slice(out.length))).toEqual(
        undisturbed.files.map((f) => f.outPath.slice(join(root, 'clean').length)),
      );
      expect((await readFile(join(out, 'Ann', 'IMG_0001.jpg'))).equals(bytes)).toBe(true);
    },
  );

  it.skipIf(skip !== undefined)(
    'names that differ only in case stay apart (exFAT folds case), and a second export adds nothing',
    async () => {
      const out = join(root, 'case');
      const other = join(dir, 'elsewhere', 'img_0001.JPG');
      await mkdir(join(dir, 'elsewhere'), { recursive: true });
      await writeFile(other, 'another photo');
      const items = [
        { person: 'Ann', photoPath: photo },
        { person: 'Ann', photoPath: other },
        { person: 'ANN', photoPath: other },
      ];
      const first = await exportFolders(items, out, { mode: 'copy' });
      expect(first.errors).toEqual([]);
      const names = first.files.map((f) => f.outPath.slice(out.length + 1));
      expect(names).toEqual(['Ann/IMG_0001.jpg', 'Ann/img_0001 (2).JPG', 'ANN (2)/img_0001.JPG']);
      expect((await readdir(out)).sort()).toEqual(['ANN (2)', 'Ann']);
      expect(await readFile(join(out, 'Ann', 'img_0001 (2).JPG'), 'utf8')).toBe('another photo');
      const again = await exportFolders(items, out, { mode: 'copy' });
      expect(again.files.map((f) => f.outPath)).toEqual(first.files.map((f) => f.outPath));
      expect(again.files.every((f) => f.existed)).toBe(true);
      expect((await readdir(join(out, 'Ann'))).sort()).toEqual(['IMG_0001.jpg', 'img_0001 (2).JPG']);
    },
  );

  it.skipIf(skip !== undefined)('copies refuse a taken name and leave no temporary file behind', async () => {
    const folder = join(root, 'taken');
    await mkdir(folder);
    await writeFile(join(folder, 'IMG_0001.jpg'), 'not ours');
    await expect(copyFileWhole(photo, join(folder, 'IMG_0001.jpg'))).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readdir(folder)).toEqual(['IMG_0001.jpg']);
    expect(await readFile(join(folder, 'IMG_0001.jpg'), 'utf8')).toBe('not ours');
  });
});

let deadPidMemo: number | undefined;
/** The pid of a process that has exited (kept for the test's life, so the name is stable). */
function deadPid(): number {
  deadPidMemo ??= Number(
    spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout,
  );
  return deadPidMemo;
}
