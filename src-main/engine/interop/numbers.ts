/** Number parsing for values read from XMP. */

/**
 * A plain decimal number ("0.5", "-1", "2e-3"), or undefined. Stricter than parseFloat, which reads
 * "0x1p-2" as 0 and "12abc" as 12: hex floats, "Infinity", "NaN" and trailing junk are not coordinates.
 */
export function strictNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}
