/**
 * A stand-in Electron distribution for electron-builder (`-c.electronDist=<dir>`): the real binary cannot be
 * downloaded here and is not needed to package. The stand-in "electron" file carries Electron's fuse wire
 * (sentinel, wire version 1, length, one byte per fuse) so that electron-builder's @electron/fuses step
 * runs for real and the test can read back what it flipped.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** Electron 45's defaults for the nine V1 fuses ('1' on, '0' off). */
const DEFAULT_WIRE = '101100011';

export function writeStandInElectron(dir: string, version: string): void {
  mkdirSync(dir, { recursive: true });
  const wire = Buffer.concat([
    Buffer.from('#!/bin/sh\necho "stand-in Electron: packaging test only" >&2\nexit 1\n# '),
    Buffer.from(FUSE_SENTINEL),
    Buffer.from([1, DEFAULT_WIRE.length]),
    Buffer.from(DEFAULT_WIRE),
    Buffer.from('\n'),
  ]);
  writeFileSync(join(dir, 'electron'), wire);
  chmodSync(join(dir, 'electron'), 0o755);
  writeFileSync(join(dir, 'version'), version);
}

/** The fuse wire of an Electron binary as '0'/'1' characters. */
export function readFuseWire(binary: Buffer): string {
  const at = binary.indexOf(FUSE_SENTINEL);
  if (at < 0) throw new Error('no fuse sentinel in the binary');
  const start = at + FUSE_SENTINEL.length;
  const length = binary[start + 1]!;
  return binary.subarray(start + 2, start + 2 + length).toString('latin1');
}
