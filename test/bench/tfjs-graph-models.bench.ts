/**
 * CPU timing of the converted graph models: `npx tsx test/bench/tfjs-graph-models.bench.ts [threads]`.
 * Prints ms per face (embedders, batch 1 and 16) and ms per image (detectors, batch 1), and how many
 * Transpose nodes survive onnxruntime's optimiser (the NHWC-with-wrapped-convs layout relies on it).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';

const threads = Number(process.argv[2] ?? 2);
const onnxDir = fileURLToPath(new URL('../../models/onnx', import.meta.url));
const cases = [
  { id: 'human-blazeface-full', size: 192, batches: [1] },
  { id: 'human-blazeface-short', size: 128, batches: [1] },
  { id: 'human-mobileface', size: 112, batches: [1, 16] },
  { id: 'human-faceres', size: 224, batches: [1, 16] },
];

const only = process.argv.slice(3);
const tmp = mkdtempSync(join(tmpdir(), 'tfjs-graph-bench-'));
try {
  for (const c of cases) {
    if (only.length > 0 && !only.includes(c.id)) continue;
    const optimised = join(tmp, `${c.id}.onnx`);
    const session = await ort.InferenceSession.create(join(onnxDir, `${c.id}.onnx`), {
      graphOptimizationLevel: 'all',
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      optimizedModelFilePath: optimised,
    });
    const model = onnxProto.onnx.ModelProto.decode(readFileSync(optimised));
    const ops = new Map<string, number>();
    for (const n of model.graph?.node ?? []) ops.set(n.opType ?? '', (ops.get(n.opType ?? '') ?? 0) + 1);
    const parts: string[] = [];
    for (const batch of c.batches) {
      const data = new Float32Array(batch * c.size * c.size * 3).map((_, i) => (i * 7919) % 255);
      const input = new ort.Tensor('float32', data, [batch, c.size, c.size, 3]);
      for (let i = 0; i < 3; i++) await session.run({ input });
      // Median of several runs: the 2-core machine is shared, so means are dominated by other jobs' bursts.
      const times: number[] = [];
      for (let i = 0; i < (batch === 1 ? 30 : 7); i++) {
        const started = performance.now();
        await session.run({ input });
        times.push(performance.now() - started);
      }
      const ms = times.sort((a, b) => a - b)[Math.floor(times.length / 2)]! / batch;
      parts.push(`batch ${batch}: ${ms.toFixed(2)} ms/${c.id.includes('blazeface') ? 'image' : 'face'}`);
    }
    console.log(
      `${c.id} (${threads} threads) ${parts.join(', ')}; optimised graph: ${ops.get('Transpose') ?? 0} Transpose of ${model.graph?.node?.length} nodes`,
    );
    await session.release();
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
