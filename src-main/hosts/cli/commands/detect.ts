import { detectPhotoFaces } from '../../../app/single-photo.js';
import { numberOption, parse, pipelineChoice, PIPELINE_OPTIONS, UsageError } from '../args.js';

const USAGE = 'facenet detect <image> [--json] [--detector id] [--min-score s] [--min-face px]';

/** `facenet detect`: boxes, five landmarks and scores, in the pixels of the EXIF-oriented photo. */
export async function detectCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, PIPELINE_OPTIONS, USAGE);
  if (positionals.length !== 1) throw new UsageError(`expected one image\nusage: ${USAGE}`);
  const photo = await detectPhotoFaces(positionals[0]!, pipelineChoice(values), {
    minScore: numberOption(values['min-score'], 'min-score', 0, 1),
    minFaceSize: numberOption(values['min-face'], 'min-face', 4, 10_000),
  });
  const { seconds } = photo;
  const out = photo.faces.map((f) => ({
    box: roundBox(f.box),
    score: round(f.score, 4),
    landmarks: f.landmarks.map((p) => ({ x: round(p.x, 1), y: round(p.y, 1) })),
  }));
  if (values.json) {
    console.log(
      JSON.stringify({ image: positionals[0], width: photo.width, height: photo.height, faces: out, seconds }),
    );
    return;
  }
  console.log(`${positionals[0]}: ${photo.width}x${photo.height}, ${out.length} face(s) in ${seconds.toFixed(2)} s`);
  out.forEach((f, i) => {
    const b = f.box;
    console.log(`  #${i + 1} score ${f.score.toFixed(3)} box x=${b.x} y=${b.y} w=${b.width} h=${b.height}`);
  });
}

function round(v: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(v * k) / k;
}

function roundBox(b: { x: number; y: number; width: number; height: number }) {
  return { x: round(b.x, 1), y: round(b.y, 1), width: round(b.width, 1), height: round(b.height, 1) };
}
