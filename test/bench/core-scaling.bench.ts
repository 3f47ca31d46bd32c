/**
 * How much a second core can add on this machine at all (issue 16: "two photos in flight really double
 * throughput"): the same fixed work run in one process, then in two processes at once, in the same run.
 * Separate processes share nothing but the hardware (no JS thread, no allocator, no libvips pool), so the ratio
 * is the machine's ceiling for any two-worker scheme of ours:
 * - `detector`: the face detector's ONNX session (batches of 4 windows, one intra-op thread), the pipeline's
 *   largest cost;
 * - `embedder`: the dlib ResNet embedding session (batch of 2: a face and its mirror), one thread;
 * - `decode`: a generated 12 MP JPEG decoded at 1/4 by libjpeg's shrink-on-load, as detection reads it (sharp,
 *   one libvips thread): the pipeline's memory-heavy step (skipped without ../shared/faces/_group);
 * - `js`: a plain float loop (no memory traffic), the CPU's own ceiling.
 * Each kind runs `--rounds` times, one and two processes interleaved, for `--seconds` each; the figure is the
 * median round. Prints one JSON object: per kind, runs/s with one process, with two, and their ratio.
 *
 *   npx tsx test/bench/core-scaling.bench.ts [--seconds 4] [--rounds 3]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO } from '../helpers/facenet-cli.js';
import { GROUP_PHOTOS_DIR, writeTwelveMegapixelPhotos } from '../helpers/twelve-megapixel.js';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '4' }, rounds: { type: 'string', default: '3' } },
});
const seconds = Number(values.seconds);
const rounds = Math.max(1, Number(values.rounds) || 1);

const photoDir = mkdtempSync(join(tmpdir(), 'facenet-core-scaling-'));
const photo = existsSync(GROUP_PHOTOS_DIR) ? (await writeTwelveMegapixelPhotos(photoDir, 1))[0] : undefined;

/** The child's loop: counts runs until the deadline, prints the count. Plain CommonJS, run with `node -e`. */
function childScript(kind: string): string {
  const onnx = (model: string, shape: number[]) => `
    const ort = require('onnxruntime-node');
    (async () => {
      const s = await ort.InferenceSession.create('models/onnx/${model}.onnx',
        { intraOpNumThreads: 1, interOpNumThreads: 1, executionProviders: ['cpu'] });
      const shape = ${JSON.stringify(shape)};
      const data = new Float32Array(shape.reduce((a, b) => a * b, 1)).map((_, i) => (i % 255) / 255);
      const feeds = { input: new ort.Tensor('float32', data, shape) };
      for (let i = 0; i < 3; i++) await s.run(feeds);
      process.send('go');
      process.once('message', async () => {
        const end = performance.now() + ${seconds * 1000};
        let n = 0;
        while (performance.now() < end) { await s.run(feeds); n++; }
        process.send(n);
        process.exit(0);
      });
    })();`;
  if (kind === 'detector') return onnx('human-blazeface-full', [4, 192, 192, 3]);
  if (kind === 'embedder') return onnx('faceapi-recognition', [2, 150, 150, 3]);
  if (kind === 'decode')
    return `
    const sharp = require('sharp');
    sharp.concurrency(1);
    sharp.cache(false);
    const decode = () => sharp(${JSON.stringify(photo)}).resize(1000, 750, { fit: 'fill', fastShrinkOnLoad: true }).raw().toBuffer();
    (async () => {
      for (let i = 0; i < 2; i++) await decode();
      process.send('go');
      process.once('message', async () => {
        const end = performance.now() + ${seconds * 1000};
        let n = 0;
        while (performance.now() < end) { await decode(); n++; }
        process.send(n);
        process.exit(0);
      });
    })();`;
  return `
    process.send('go');
    process.once('message', () => {
      const end = performance.now() + ${seconds * 1000};
      let n = 0, x = 1.0001;
      while (performance.now() < end) { for (let i = 0; i < 1e6; i++) x = x * 1.0000001 + 1e-9; n++; }
      process.send(x > 0 ? n : -1);
      process.exit(0);
    });`;
}

/** Starts `count` children, waits until each has loaded, starts them together; returns total runs/s. */
async function runTogether(kind: string, count: number): Promise<number> {
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, ['-e', childScript(kind)], { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  const ready = children.map((c) => new Promise<void>((resolve) => c.once('message', () => resolve())));
  await Promise.all(ready);
  const done = children.map((c) => new Promise<number>((resolve) => c.once('message', (n) => resolve(Number(n)))));
  for (const c of children) c.send('start');
  const runs = await Promise.all(done);
  return runs.reduce((a, b) => a + b, 0) / seconds;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const out: Record<string, { one: number; two: number; ratio: number; ratiosByRound: number[] }> = {};
for (const kind of ['detector', 'embedder', ...(photo ? ['decode'] : []), 'js']) {
  const one: number[] = [];
  const two: number[] = [];
  for (let r = 0; r < rounds; r++) {
    one.push(await runTogether(kind, 1));
    two.push(await runTogether(kind, 2));
  }
  out[kind] = {
    one: median(one),
    two: median(two),
    ratio: median(two) / median(one),
    ratiosByRound: two.map((t, i) => t / one[i]!),
  };
}
rmSync(photoDir, { recursive: true, force: true });
console.log(JSON.stringify({ seconds, rounds, runsPerSecond: out }));
