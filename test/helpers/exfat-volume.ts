/**
 * A real exFAT file system (what USB drives and SD cards are formatted with: no hard links), mounted for a
 * test: a sparse image formatted by `mkfs.exfat` (Debian exfatprogs), attached to a loop device and mounted
 * through FUSE by `mount.exfat-fuse` (Debian exfat-fuse). Needs root, loop devices and /dev/fuse; where any of
 * them is missing the caller gets the reason to skip with instead.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './tmp.js';

export type ExfatVolume = { dir: string; unmount: () => void } | { skip: string };

function run(command: string, args: string[]): { ok: boolean; out: string } {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error?.message ?? ''}`.trim() };
}

export function mountExfatVolume(sizeMb = 64): ExfatVolume {
  if (process.platform !== 'linux') return { skip: 'mounting an exFAT image needs Linux' };
  if (process.getuid?.() !== 0) return { skip: 'mounting an exFAT image needs root (losetup, mount)' };
  for (const tool of ['mkfs.exfat', 'mount.exfat-fuse', 'losetup', 'umount']) {
    if (!run('sh', ['-c', `command -v ${tool}`]).ok)
      return { skip: `${tool} not found (apt-get install exfatprogs exfat-fuse)` };
  }
  if (!existsSync('/dev/fuse')) return { skip: 'no /dev/fuse on this machine' };

  const tmp = tempDir('facenet-exfat-');
  const image = join(tmp.dir, 'volume.img');
  const dir = join(tmp.dir, 'mnt');
  mkdirSync(dir);
  writeFileSync(image, '');
  truncateSync(image, sizeMb * 1024 * 1024);
  const fail = (step: string, out: string): ExfatVolume => {
    tmp.cleanup();
    return { skip: `could not ${step} an exFAT image here: ${out}` };
  };
  const format = run('mkfs.exfat', [image]);
  if (!format.ok) return fail('format', format.out);
  const loop = run('losetup', ['-f', '--show', image]);
  if (!loop.ok) return fail('attach', loop.out);
  const device = loop.out;
  const mount = run('mount.exfat-fuse', [device, dir]);
  if (!mount.ok) {
    run('losetup', ['-d', device]);
    return fail('mount', mount.out);
  }
  return {
    dir,
    unmount: () => {
      run('umount', [dir]);
      run('losetup', ['-d', device]);
      rmSync(tmp.dir, { recursive: true, force: true });
    },
  };
}
