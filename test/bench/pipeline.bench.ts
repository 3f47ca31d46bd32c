/**
 * `npm run bench`: throughput of the full pipeline (decode, detect, align, embed every face) on
 * 12-megapixel JPEGs with faces, against face-api.js on tfjs-backend-wasm measured in the same run.
 *
 * ../shared has no 12 MP photos, so they are generated (not committed) by upscaling the group photos of
 * ../shared/faces/_group to 4000 px on the long side (about 12 MP) into a temporary folder.
 *
 * Prints one JSON object: { photos, megapixels, ours: {...}, peer: {...}, facesPerSecondRatio }.
 * Options: --photos N (default 9), --concurrency N (photos in flight, default one per core like the indexer), --no-peer,
 * --detector id, --embedder id. FACENET_THREADS sets ONNX threads per call.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import {
  DEFAULT_CHOICE,
  createFaceAnalyzer,
  parseDetector,
  parseEmbedders,
} from '../../src-main/engine/vision/registry.js';
import { activeProviders } from '../../src-main/engine/vision/onnx-session.js';
import { loadFaceApi } from '../helpers/faceapi-reference.js';
import { SHARED_DIR } from '../helpers/shared.js';
import { forEachBounded } from '../../src-shared/pool.js';

const { values } = parseArgs({
  options: {
    photos: { type: 'string', default: '9' },
    concurrency: { type: 'string' },
    'no-peer': { type: 'boolean' },
    detector: { type: 'string' },
    embedder: { type: 'string' },
  },
});

const groupDir = join(SHARED_DIR, 'faces', '_group');
const LONG_SIDE = 4000;

async function makeTwelveMegapixelPhotos(count: number): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'facenet-bench-'));
  const sources = readdirSync(groupDir)
    .filter((f) => f.endsWith('.jpg'))
    .sort();
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const source = sources[i % sources.length]!;
    const path = join(dir, `${i}-${source}`);
    await sharp(join(groupDir, source))
      .resize(LONG_SIDE, LONG_SIDE, { fit: 'inside', kernel: 'lanczos3' })
      .jpeg({ quality: 90 })
      .toFile(path);
    out.push(path);
  }
  return out;
}

async function benchOurs(paths: string[]) {
  const analyzer = await createFaceAnalyzer({
    detector: values.detector ? parseDetector(values.detector) : DEFAULT_CHOICE.detector,
    embedders: values.embedder ? parseEmbedders(values.embedder) : DEFAULT_CHOICE.embedders,
  });
  await analyzer.analyzePhoto(paths[0]!); // warm-up: session initialisation is not throughput
  // Like the indexer: `concurrency` photos in flight, so decoding of one overlaps inference of another.
  let faces = 0;
  const started = performance.now();
  await forEachBounded(paths, concurrency, async (path) => {
    const result = await analyzer.analyzePhoto(path);
    faces += result.faces.length;
  });
  const seconds = (performance.now() - started) / 1000;
  return {
    pipeline: analyzer.modelVersion,
    concurrency,
    providers: [...new Set(activeProviders().map((p) => p.provider))],
    faces,
    seconds,
    photosPerSecond: paths.length / seconds,
    facesPerSecond: faces / seconds,
  };
}

/** face-api.js's own pipeline: SSD MobileNetV1 + 68 landmarks + descriptors, tfjs WASM backend. */
async function benchPeer(paths: string[]) {
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
  const started = performance.now();
  for (const path of paths) faces += await run(path);
  const seconds = (performance.now() - started) / 1000;
  return {
    pipeline: `face-api.js ${faceapi.version ?? ''} tfjs-${tf.getBackend()}`,
    faces,
    seconds,
    photosPerSecond: paths.length / seconds,
    facesPerSecond: faces / seconds,
  };
}

const count = Number(values.photos);
const concurrency = Math.max(1, Number(values.concurrency ?? cpus().length));
const paths = await makeTwelveMegapixelPhotos(count);
try {
  const meta = await sharp(paths[0]!).metadata();
  const ours = await benchOurs(paths);
  const peer = values['no-peer'] ? null : await benchPeer(paths);
  console.log(
    JSON.stringify({
      photos: paths.length,
      megapixels: ((meta.width ?? 0) * (meta.height ?? 0)) / 1e6,
      generatedFrom: 'shared/faces/_group upscaled to 4000 px long side',
      ours,
      peer,
      facesPerSecondRatio: peer ? ours.facesPerSecond / peer.facesPerSecond : null,
      photosPerSecondRatio: peer ? ours.photosPerSecond / peer.photosPerSecond : null,
    }),
  );
} finally {
  rmSync(join(paths[0]!, '..'), { recursive: true, force: true });
}
