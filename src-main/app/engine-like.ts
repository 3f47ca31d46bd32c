import type { ApiEvent } from '../../src-shared/api.js';

/** What a host (the HTTP server, the Electron main process) needs from the engine; EngineApi implements it. */
export interface EngineLike {
  /** Validates and dispatches one FaceNetApi method. */
  call(method: string, args: unknown): Promise<unknown>;
  /** Subscribes to engine events; returns an unsubscribe function (or nothing). */
  on(listener: (event: ApiEvent) => void): (() => void) | void;
  /** The cached thumbnail file of a face (EngineApi answers the path; `{ path }` is accepted too). */
  faceThumbnail(faceId: number): Promise<string | { path: string }>;
  /** The cached WebP preview of a photo, `size` px on its longest side (bucketed; the large one without). */
  photoPreview(photoId: number, size?: number): Promise<string>;
}
