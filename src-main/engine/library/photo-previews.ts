/**
 * Sized previews of whole photos for the UI (the Photo view and every grid): WebP made by the app from the
 * photo's displayed pixels (any supported format: HEIC and RAW included, which a browser cannot show), never
 * the original file. Made lazily on first request, cached on disk in `<cache>/previews/`, keyed by content
 * hash and size bucket (an edited photo gets new ones; a moved or copied one shares them).
 *
 * Sizes are bucketed (PREVIEW_SIZES: a grid cell and the Photo view) so that requests for any size hit a few
 * files per photo: a request gets the smallest bucket at least as large, or the largest. The cache keeps to a
 * byte budget: after a new preview is written, the least recently used ones (file mtime, refreshed on every
 * hit) are deleted until the total is below the budget. Files are written to a temporary name and renamed,
 * so a crash never leaves a half-written preview.
 */
import { readdir, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { writeCacheFile, type OpenOriented } from '../storage/thumbnails.js';

/** Longest side of each preview bucket, in pixels: a grid cell (2x for high-density screens) and the Photo view. */
export const PREVIEW_SIZES = [320, 2048] as const;

/** The Photo view's size: what a request without a size gets. */
export const LARGE_PREVIEW = PREVIEW_SIZES[PREVIEW_SIZES.length - 1]!;

/** Default cache budget: about 1,500 large previews or 30,000 grid previews. */
export const DEFAULT_PREVIEW_BUDGET = 512 * 1024 * 1024;

/** The bucket serving a requested size (longest side in pixels; undefined: the Photo view's). */
export function previewBucket(size?: number): number {
  if (size === undefined || !Number.isFinite(size)) return LARGE_PREVIEW;
  return PREVIEW_SIZES.find((b) => b >= size) ?? LARGE_PREVIEW;
}

export interface PreviewOptions {
  /** How photo files are opened as displayed pixels (the engine's decoder). */
  open: OpenOriented;
  /** Most bytes the previews may take on disk (default DEFAULT_PREVIEW_BUDGET). */
  budgetBytes?: number;
}

export interface Preview {
  path: string;
  /** The bucket's longest side (the file's longest side is at most this; smaller photos are not enlarged). */
  bucket: number;
  cached: boolean;
}

export class PhotoPreviews {
  readonly dir: string;
  readonly budgetBytes: number;
  private readonly open: OpenOriented;
  private readonly inFlight = new Map<string, Promise<Preview>>();
  /** path -> bytes of every preview on disk, read from the folder once, then kept up to date. */
  private sizes: Promise<Map<string, number>> | undefined;
  private evicting: Promise<void> = Promise.resolve();

  constructor(cacheDir: string, options: PreviewOptions) {
    this.dir = join(cacheDir, 'previews');
    this.open = options.open;
    this.budgetBytes = options.budgetBytes ?? DEFAULT_PREVIEW_BUDGET;
  }

  pathFor(contentHash: string, bucket: number): string {
    return join(this.dir, contentHash.slice(0, 2), `${contentHash}-${bucket}.webp`);
  }

  /** The preview of a photo file for a requested size (made now if not cached). */
  async get(photoPath: string, contentHash: string, size?: number): Promise<Preview> {
    const bucket = previewBucket(size);
    const out = this.pathFor(contentHash, bucket);
    const pending = this.inFlight.get(out);
    if (pending) return pending;
    const job = this.make(photoPath, out, bucket).finally(() => this.inFlight.delete(out));
    this.inFlight.set(out, job);
    return job;
  }

  /** Bytes the previews take on disk now. */
  async totalBytes(): Promise<number> {
    let total = 0;
    for (const n of (await this.index()).values()) total += n;
    return total;
  }

  private async make(photoPath: string, out: string, bucket: number): Promise<Preview> {
    const existing = await stat(out).catch(() => undefined);
    if (existing && existing.size > 0) {
      // Recently used: eviction goes by modification time.
      const now = new Date();
      await utimes(out, now, now).catch(() => undefined);
      return { path: out, bucket, cached: true };
    }
    const source = await this.open(photoPath);
    const webp = await source
      .pixels()
      .resize(bucket, bucket, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer();
    await writeCacheFile(out, webp);
    (await this.index()).set(out, webp.length);
    this.evicting = this.evicting.then(() => this.evict(out));
    await this.evicting;
    return { path: out, bucket, cached: false };
  }

  /** Sizes of the previews on disk (the folder is read once per process). */
  private index(): Promise<Map<string, number>> {
    this.sizes ??= (async () => {
      const sizes = new Map<string, number>();
      const shards = await readdir(this.dir).catch(() => [] as string[]);
      for (const shard of shards) {
        const files = await readdir(join(this.dir, shard)).catch(() => [] as string[]);
        for (const f of files) {
          if (!f.endsWith('.webp')) continue;
          const s = await stat(join(this.dir, shard, f)).catch(() => undefined);
          if (s?.isFile()) sizes.set(join(this.dir, shard, f), s.size);
        }
      }
      return sizes;
    })();
    return this.sizes;
  }

  /** Deletes the least recently used previews (never `keep`, the one just made) until the budget holds. */
  private async evict(keep: string): Promise<void> {
    const sizes = await this.index();
    let total = 0;
    for (const n of sizes.values()) total += n;
    if (total <= this.budgetBytes) return;
    const aged: { path: string; used: number }[] = [];
    for (const path of sizes.keys()) {
      if (path === keep) continue;
      const s = await stat(path).catch(() => undefined);
      aged.push({ path, used: s?.mtimeMs ?? 0 });
    }
    aged.sort((a, b) => a.used - b.used);
    for (const { path } of aged) {
      if (total <= this.budgetBytes) break;
      await unlink(path).catch(() => undefined);
      total -= sizes.get(path) ?? 0;
      sizes.delete(path);
    }
  }
}
