/**
 * On-disk cache of per-photo evaluation embeddings, so that re-running an evaluation (another threshold,
 * another clustering setting) costs no inference.
 *
 * Key: the pipeline key (model version + every setting that changes the result, see `pipelineCacheKey`) and
 * the photo's absolute path, size and mtime. One append-only JSON-lines file per pipeline key under the cache
 * directory (default `os.tmpdir()/facenet-eval-cache`); a later line for the same photo wins, and a torn last
 * line (process killed mid-write) is ignored. An edited photo (size or mtime changed) is a miss.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const DEFAULT_CACHE_DIR = join(tmpdir(), 'facenet-eval-cache');

/** What an evaluation keeps of one photo: its primary face, or null when no face was found. */
export interface CachedFace {
  embedding: Float32Array;
  /** Detector score and face quality (0..1) of that face. */
  score: number;
  quality: number;
  /** Faces detected in the photo (at the detector score that found the primary one). */
  faces: number;
  /** True when the face was only found at a fallback (lower) detector score. */
  fallback: boolean;
}

interface Line {
  path: string;
  size: number;
  mtimeMs: number;
  face: { e: string; score: number; quality: number; faces: number; fallback: boolean } | null;
}

/** Everything that changes what an evaluation stores for a photo, as one string. */
export function pipelineCacheKey(parts: {
  modelVersion: string;
  minScore: number;
  minFaceSize: number;
  /** How the face is picked and which fallbacks are tried (bump when that logic changes). */
  selection: string;
}): string {
  return `${parts.modelVersion}|score=${parts.minScore}|minFace=${parts.minFaceSize}|${parts.selection}`;
}

export class EmbeddingCache {
  private readonly entries = new Map<string, Line>();
  readonly file: string;
  hits = 0;
  misses = 0;

  private constructor(
    readonly dir: string,
    readonly key: string,
  ) {
    const digest = createHash('sha256').update(key).digest('hex').slice(0, 16);
    this.file = join(dir, `${digest}.jsonl`);
  }

  /** Opens (creating the directory if needed) the cache for one pipeline key. */
  static open(key: string, dir: string = DEFAULT_CACHE_DIR): EmbeddingCache {
    mkdirSync(dir, { recursive: true });
    const cache = new EmbeddingCache(dir, key);
    cache.load();
    return cache;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached result for a photo: a face, null (no face found), or undefined (miss or stale). */
  get(path: string): CachedFace | null | undefined {
    const absolute = resolve(path);
    const line = this.entries.get(absolute);
    const stat = statSync(absolute, { throwIfNoEntry: false });
    if (!line || !stat || line.size !== stat.size || line.mtimeMs !== stat.mtimeMs) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    if (!line.face) return null;
    const bytes = Buffer.from(line.face.e, 'base64');
    const embedding = new Float32Array(bytes.byteLength / 4);
    new Uint8Array(embedding.buffer).set(bytes);
    const { score, quality, faces, fallback } = line.face;
    return { embedding, score, quality, faces, fallback };
  }

  set(path: string, face: CachedFace | null): void {
    const absolute = resolve(path);
    const stat = statSync(absolute);
    const line: Line = {
      path: absolute,
      size: stat.size,
      mtimeMs: stat.mtimeMs,
      face: face && {
        e: Buffer.from(face.embedding.buffer, face.embedding.byteOffset, face.embedding.byteLength).toString('base64'),
        score: face.score,
        quality: face.quality,
        faces: face.faces,
        fallback: face.fallback,
      },
    };
    this.entries.set(absolute, line);
    appendFileSync(this.file, JSON.stringify(line) + '\n');
  }

  private load(): void {
    if (!existsSync(this.file)) {
      appendFileSync(this.file, JSON.stringify({ key: this.key }) + '\n');
      return;
    }
    const content = readFileSync(this.file, 'utf8');
    // A torn last line would swallow the next append: end it first.
    if (content.length > 0 && !content.endsWith('\n')) appendFileSync(this.file, '\n');
    for (const text of content.split('\n')) {
      if (!text) continue;
      try {
        const line = JSON.parse(text) as Partial<Line>;
        if (typeof line.path === 'string') this.entries.set(line.path, line as Line);
      } catch {
        // A torn line from a killed run: skip it, the photo is simply embedded again.
      }
    }
  }
}
