import type { IndexProgressDto } from '../../src-shared/api.js';
import { formatEta, formatRate } from '../logic/format.js';

/** Indexing progress with a fixed footprint: the same height idle or busy, so nothing jumps. */
export function ProgressBar({ progress, compact = false }: { progress: IndexProgressDto | null; compact?: boolean }) {
  const pct = progress && progress.total > 0 ? Math.min(100, (progress.done / progress.total) * 100) : 0;
  return (
    <div
      className={`progress ${compact ? 'progress-compact' : ''}`}
      data-testid={compact ? undefined : 'index-progress'}
    >
      <div
        className="progress-track"
        role="progressbar"
        aria-label="Indexing progress"
        aria-valuemin={0}
        aria-valuemax={progress?.total ?? 0}
        aria-valuenow={progress?.done ?? 0}
      >
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <div className="progress-text">
        {progress ? (
          <>
            <span className="num">
              {progress.done} / {progress.total}
            </span>
            {!compact && (
              <>
                <span className="num">{formatRate(progress.photosPerSecond)}</span>
                <span className="num">ETA {formatEta(progress.etaSeconds)}</span>
                <span className="num">{progress.facesFound} faces</span>
              </>
            )}
          </>
        ) : (
          <span className="muted">Idle</span>
        )}
      </div>
      {!compact && <div className="progress-path muted">{progress?.currentPath ?? '\u00a0'}</div>}
    </div>
  );
}
