import type { RocDto } from '../../src-shared/api.js';
import { formatThreshold } from '../logic/format.js';
import { DEFAULT_PLOT, farTicks, pointAtThreshold, rocPath, valTicks, xForFar, yForVal } from '../logic/roc.js';

export function RocPlot({ roc, current, preview }: { roc: RocDto; current: number; preview: number | null }) {
  const box = DEFAULT_PLOT;
  const cur = pointAtThreshold(roc.points, current);
  const pre = preview !== null && preview !== current ? pointAtThreshold(roc.points, preview) : null;
  return (
    <svg
      className="roc"
      viewBox={`0 0 ${box.width} ${box.height}`}
      role="img"
      aria-label={`Correct against wrong matches (ROC curve) from ${roc.samePairs} same-person and ${roc.differentPairs} different-person pairs`}
      data-testid="roc-plot"
    >
      <rect
        x={box.pad.left}
        y={box.pad.top}
        width={box.width - box.pad.left - box.pad.right}
        height={box.height - box.pad.top - box.pad.bottom}
        className="roc-frame"
      />
      {farTicks(box).map((t) => (
        <g key={t.label}>
          <line x1={t.x} x2={t.x} y1={box.pad.top} y2={box.height - box.pad.bottom} className="roc-grid" />
          <text x={t.x} y={box.height - box.pad.bottom + 14} textAnchor="middle" className="roc-tick">
            {t.label}
          </text>
        </g>
      ))}
      {valTicks(box).map((t) => (
        <g key={t.label}>
          <line x1={box.pad.left} x2={box.width - box.pad.right} y1={t.y} y2={t.y} className="roc-grid" />
          <text x={box.pad.left - 4} y={t.y + 4} textAnchor="end" className="roc-tick">
            {t.label}
          </text>
        </g>
      ))}
      <text x={(box.width + box.pad.left) / 2} y={box.height - 4} textAnchor="middle" className="roc-axis">
        Wrong matches (FAR, log scale)
      </text>
      <text
        x={12}
        y={box.height / 2}
        textAnchor="middle"
        className="roc-axis"
        transform={`rotate(-90 12 ${box.height / 2})`}
      >
        Correct matches (VAL)
      </text>
      <path d={rocPath(roc.points, box)} className="roc-curve" />
      {cur && (
        <g data-testid="roc-current">
          <circle cx={xForFar(cur.far, box)} cy={yForVal(cur.val, box)} r={5} className="roc-current" />
          <title>{`Current threshold ${formatThreshold(current)}: VAL ${cur.val.toFixed(3)}, FAR ${cur.far.toExponential(1)}`}</title>
        </g>
      )}
      {pre && (
        <circle
          cx={xForFar(pre.far, box)}
          cy={yForVal(pre.val, box)}
          r={5}
          className="roc-preview"
          data-testid="roc-preview"
        />
      )}
    </svg>
  );
}
