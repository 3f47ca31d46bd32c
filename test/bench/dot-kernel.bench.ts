/**
 * Dot-product kernel benchmark (not a test): blocks of query rows against candidate rows, as the kNN graph's
 * search computes them (simd-dots.ts), in the WebAssembly SIMD kernel and in its plain-JS stand-in (the path a
 * runtime without WebAssembly SIMD would take; same bits). Prints one JSON object: per path, milliseconds
 * per block and billions of multiply-adds per second on one thread.
 *
 *   npx tsx test/bench/dot-kernel.bench.ts [queries=512] [candidates=256] [dim=128] [rounds=20]
 */
import { BlockDots } from '../../src-main/engine/people/simd-dots.js';

const [qn = 512, cn = 256, dim = 128, rounds = 20] = process.argv.slice(2, 6).map(Number);

// Deterministic rows in [-0.5, 0.5): the kernel's speed does not depend on the values.
const rows = Float32Array.from({ length: (qn + cn) * dim }, (_, i) => ((i * 2654435761) % 4096) / 4096 - 0.5);

function measure(dots: BlockDots): { msPerBlock: number; gmacPerSecond: number } {
  dots.reserve(qn, cn);
  for (let a = 0; a < qn; a++) dots.setQuery(a, rows, a);
  for (let b = 0; b < cn; b++) dots.setCandidate(b, rows, qn + b);
  dots.compute(qn, cn); // warm-up: compiled and optimised
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) dots.compute(qn, cn);
  const ms = (performance.now() - t0) / rounds;
  return { msPerBlock: +ms.toFixed(3), gmacPerSecond: +((qn * cn * dim) / ms / 1e6).toFixed(2) };
}

const simd = measure(new BlockDots(dim));
const js = measure(new BlockDots(dim, { simd: false }));
console.log(JSON.stringify({ qn, cn, dim, rounds, simd, js, speedup: +(js.msPerBlock / simd.msPerBlock).toFixed(2) }));
