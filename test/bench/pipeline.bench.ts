/**
 * `npm run bench`: throughput of the full pipeline (decode, detect, align, embed every face) on
 * 12-megapixel JPEGs with faces, against face-api.js on tfjs-backend-wasm measured in the same run.
 *
 * ../shared has no 12 MP photos, so they are generated (not committed) by upscaling the group photos of
 * ../shared/faces/_group to 4000 px on the long side (about 12 MP) into a temporary folder.
 *
 * Ours runs like the indexer: an AnalyzerPool with one worker thread per photo in flight (one ONNX thread each;
 * with --per-worker N, N photos per worker).
 *
 * Prints one JSON object: { photos, megapixels, ours: {...}, runs: [...], scaling, peer: {...}, facesPerSecondRatio }.
 * Options: --photos N (default 9), --concurrency N or a list "1,2" (photos in flight; default one per core like
 * the indexer; with a list each is measured in the same run, `ours` is the last, `scaling` its photos/s over
 * the first's), --rounds N (default 1: passes per concurrency, interleaved; figures are the median pass),
 * --per-worker N (photos given to each worker at once, default 1), --no-peer (else face-api.js is measured
 * after ours, the same number of passes, median pass), --detector id, --embedder id,
 * --provider cpu|cuda|dml|coreml (every model on it, or an error saying why not; `facenet bench` does the
 * same on your own photos).
 * FACENET_THREADS sets ONNX threads per call.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { DEFAULT_CHOICE, parseDetector, parseEmbedders } from '../../src-main/engine/vision/registry.js';
import { parseProvider } from '../../src-main/engine/vision/onnx-session.js';
import { measureThroughput, median } from '../../src-main/app/throughput.js';
import { loadFaceApi } from '../helpers/faceapi-reference.js';
import { writeTwelveMegapixelPhotos } from '../helpers/twelve-megapixel.js';

const { values } = parseArgs({
  options: {
    photos: { type: 'string', default: '9' },
    concurrency: { type: 'string' },
    rounds: { type: 'string', default: '1' },
    'per-worker': { type: 'string' },
    'no-peer': { type: 'boolean' },
    detector: { type: 'string' },
    embedder: { type: 'string' },
    provider: { type: 'string' },
  },
});

/**
 * face-api.js's own pipeline: SSD MobileNetV1 + 68 landmarks + descriptors, tfjs WASM backend (SIMD, one
 * thread). `rounds` passes over the photos after a warm-up photo; figures are the median pass, because the
 * peer's speed varies widely from pass to pass on a shared machine (one photo: 0.76 to 1.62 s in three passes).
 */
async function benchPeer(paths: string[], rounds: number) {
  const faceapi = await loadFaceApi();
  const tf = faceapi.tf;
  const run = async (path: string): Promise<number> => {
    const { data, info } = await sharp(path).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const tensor = tf.tensor3d(new Uint8Array(data), [info.height, info.width, 3], 'int32');
    try {
      const results = await faceapi
        .detectAllFaces(tensor, new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 }))
        .withFaceLandmarks()
        .withFaceDescriptors();
      return results.length;
    } finally {
      tensor.dispose();
    }
  };
  await run(paths[0]!);
  let faces = 0;
  const passes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    faces = 0;
    const started = performance.now();
    for (const path of paths) faces += await run(path);
    passes.push((performance.now() - started) / 1000);
  }
  const seconds = median(passes);
  return {
    pipeline: `face-api.js ${faceapi.version ?? ''} tfjs-${tf.getBackend()}`,
    faces,
    rounds,
    seconds,
    photosPerSecond: paths.length / seconds,
    facesPerSecond: faces / seconds,
    photosPerSecondByRound: passes.map((x) => paths.length / x),
  };
}

const count = Number(values.photos);
const concurrencies = (values.concurrency ?? String(cpus().length))
  .split(',')
  .map((c) => Math.max(1, Math.floor(Number(c)) || 1));
const paths = await writeTwelveMegapixelPhotos(mkdtempSync(join(tmpdir(), 'facenet-bench-')), count);
try {
  const meta = await sharp(paths[0]!).metadata();
  const runs = await measureThroughput(paths, {
    concurrencies,
    rounds: Number(values.rounds),
    provider: values.provider ? parseProvider(values.provider) : undefined,
    photosPerWorker: Number(values['per-worker'] ?? 1),
    choice: {
      detector: values.detector ? parseDetector(values.detector) : DEFAULT_CHOICE.detector,
      embedders: values.embedder ? parseEmbedders(values.embedder) : DEFAULT_CHOICE.embedders,
    },
  });
  const ours = runs[runs.length - 1]!;
  const peer = values['no-peer'] ? null : await benchPeer(paths, Math.max(1, Math.floor(Number(values.rounds)) || 1));
  console.log(
    JSON.stringify({
      photos: paths.length,
      megapixels: ((meta.width ?? 0) * (meta.height ?? 0)) / 1e6,
      generatedFrom: 'shared/faces/_group upscaled to 4000 px long side',
      ours,
      runs: runs.length > 1 ? runs : undefined,
      // Photos/s of the last concurrency over the first's, measured in the same run on the same photos
      // (the machine may be shared: compare this ratio, not absolute speeds between runs).
      scaling: runs.length > 1 ? ours.photosPerSecond / runs[0]!.photosPerSecond : undefined,
      peer,
      facesPerSecondRatio: peer ? ours.facesPerSecond / peer.facesPerSecond : null,
      photosPerSecondRatio: peer ? ours.photosPerSecond / peer.photosPerSecond : null,
    }),
  );
} finally {
  rmSync(join(paths[0]!, '..'), { recursive: true, force: true });
}
