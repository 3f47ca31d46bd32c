/**
 * Argument parsing shared by the CLI commands (node:util parseArgs, strict: unknown flags are errors).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_CHOICE, parseDetector, parseEmbedders, type PipelineChoice } from '../../app/pipeline-choice.js';

/** A user error: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The user stopped a long command (Ctrl+C) and it stopped cleanly: one line, exit code 130 as shells expect. */
export class StoppedByUser extends Error {
  override name = 'StoppedByUser';
}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, usage: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nusage: ${usage}`);
  }
}

/** Options every command that runs the face pipeline understands. */
export const PIPELINE_OPTIONS = {
  json: { type: 'boolean' },
  'no-flip': { type: 'boolean' },
  refine: { type: 'boolean' },
  detector: { type: 'string' },
  embedder: { type: 'string' },
  'min-score': { type: 'string' },
  'min-face': { type: 'string' },
} as const;

export function pipelineChoice(values: { detector?: string; embedder?: string }): PipelineChoice {
  try {
    return {
      detector: values.detector ? parseDetector(values.detector) : DEFAULT_CHOICE.detector,
      embedders: values.embedder ? parseEmbedders(values.embedder) : DEFAULT_CHOICE.embedders,
    };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function numberOption(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} must be a number in ${min}..${max}`);
  return n;
}
