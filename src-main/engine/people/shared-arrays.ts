/**
 * Typed arrays in shared memory (SharedArrayBuffer): what the kNN worker threads read and write without a
 * copy per thread (knn-threads.ts). Zeroed like any new typed array.
 */
export function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(length * 4));
}

export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * 4));
}

export function sharedUint8(length: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(length));
}

/** `a` itself if it lives in shared memory, else a shared copy. */
export function asShared(a: Float32Array): Float32Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const s = sharedFloat32(a.length);
  s.set(a);
  return s;
}
