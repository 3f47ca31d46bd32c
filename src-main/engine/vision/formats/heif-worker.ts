/**
 * The HEIF decoding worker's entry point (started by the pool in heif.ts): decodes the primary image of
 * each HEIC/HEIF file it is sent with libheif compiled to WebAssembly (npm `libheif-js`, LGPL-3.0, loaded
 * from node_modules so that it stays a replaceable library), and posts back RGBA pixels with libheif's
 * rotation and mirror properties applied. One decode at a time per worker: WebAssembly runs synchronously.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

export interface HeifRequest {
  id: number;
  bytes: Uint8Array;
}

export type HeifReply =
  | { id: number; ok: true; width: number; height: number; rgba: Uint8Array }
  | { id: number; ok: false; message: string };

interface HeifImage {
  get_width(): number;
  get_height(): number;
  is_primary(): boolean;
  display(target: { data: Uint8ClampedArray; width: number; height: number }, done: (r: unknown) => void): void;
  free(): void;
}

interface LibHeif {
  HeifDecoder: new () => { decode(bytes: Uint8Array): HeifImage[] };
}

function loadLibheif(): LibHeif {
  // A run-time require of the package (never bundled: LGPL, THIRD-PARTY.md), by literal name so that the
  // packaged-app test sees the dependency.
  const require = createRequire(import.meta.url);
  const factory = require('libheif-js/libheif-wasm/libheif.js') as (options: { wasmBinary: Buffer }) => LibHeif;
  return factory({ wasmBinary: readFileSync(require.resolve('libheif-js/libheif-wasm/libheif.wasm')) });
}

function decode(lib: LibHeif, bytes: Uint8Array): Promise<{ width: number; height: number; rgba: Uint8Array }> {
  const images = new lib.HeifDecoder().decode(bytes);
  const free = (): void => images.forEach((i) => i.free());
  const image = images.find((i) => i.is_primary()) ?? images[0];
  if (!image) {
    free();
    return Promise.reject(new Error('no image in the HEIF file'));
  }
  const width = image.get_width();
  const height = image.get_height();
  const data = new Uint8ClampedArray(width * height * 4);
  return new Promise((resolve, reject) => {
    image.display({ data, width, height }, (result) => {
      free();
      if (!result) reject(new Error('libheif could not decode the image'));
      else resolve({ width, height, rgba: new Uint8Array(data.buffer) });
    });
  });
}

function serve(): void {
  const port = parentPort;
  if (!port) return;
  let lib: LibHeif | undefined;
  port.on('message', (request: HeifRequest) => {
    const reply = (r: HeifReply, transfer: ArrayBuffer[] = []): void => port.postMessage(r, transfer);
    void (async () => {
      try {
        lib ??= loadLibheif();
        const { width, height, rgba } = await decode(lib, request.bytes);
        reply({ id: request.id, ok: true, width, height, rgba }, [rgba.buffer as ArrayBuffer]);
      } catch (e) {
        reply({ id: request.id, ok: false, message: e instanceof Error ? e.message : String(e) });
      }
    })();
  });
}

if ((workerData as { facenetHeif?: boolean } | null)?.facenetHeif === true) serve();
