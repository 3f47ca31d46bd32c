/** Progress of one indexing run, as the CLI's bar and the app show it (src-main/app maps it to the wire). */
export interface IndexProgress {
  done: number;
  total: number;
  photosPerSecond: number;
  facesFound: number;
  /** null until the rate is known. */
  etaSeconds: number | null;
  currentPath: string | null;
}

export class ProgressTracker {
  private readonly started: number;
  done = 0;
  facesFound = 0;

  constructor(
    readonly total: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
  }

  step(path: string, faces: number): IndexProgress {
    this.done++;
    this.facesFound += faces;
    return this.snapshot(path);
  }

  snapshot(currentPath: string | null = null): IndexProgress {
    const seconds = (this.now() - this.started) / 1000;
    const rate = seconds > 0 ? this.done / seconds : 0;
    return {
      done: this.done,
      total: this.total,
      photosPerSecond: rate,
      facesFound: this.facesFound,
      etaSeconds: rate > 0 ? (this.total - this.done) / rate : null,
      currentPath,
    };
  }
}
