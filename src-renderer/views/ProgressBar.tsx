import { useRef } from 'react';
import type { IndexProgressDto } from '../../src-shared/api.js';
import { formatEta, formatRate } from '../logic/format.js';

/** Indexing progress with a fixed footprint: the same height idle or busy, so nothing jumps. */
export function ProgressBar({ progress, compact = false }: { progress: IndexProgressDto | null; compact?: boolean }) {
  const pct = progress && progress.total > 0 ? Math.min(100, (progress.done / progress.total) * 100) : 0;
  // The fill glides forward only: a run that ends (idle) or a new one that starts jumps straight back to
  // its place, rather than animating backwards as if work were being undone.
  const previous = useRef(pct);
  const forward = pct >= previous.current;
  previous.current = pct;
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
        <div className="progress-fill" style={{ width: `${pct}%`, transition: forward ? undefined : 'none' }} />
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
