import { vi } from 'vitest';

/** Runs a command module in process and returns what it printed with console.log. */
export async function printedBy(run: (argv: string[]) => Promise<void>, ...argv: string[]): Promise<string> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  try {
    await run(argv);
  } finally {
    log.mockRestore();
  }
  return lines.join('\n');
}
