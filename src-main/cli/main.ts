/**
 * `facenet` command-line entry point: dispatches to one module per command.
 */
import { PhotoError } from '../vision/analysis.js';
import { UsageError } from './args.js';
import { detectCommand } from './commands/detect.js';
import { evalCommand } from './commands/eval.js';
import { verifyCommand } from './commands/verify.js';

const COMMANDS: Record<string, { run(argv: string[]): Promise<void>; summary: string }> = {
  detect: { run: detectCommand, summary: 'detect <image> [--json]            faces: boxes, landmarks, scores' },
  verify: { run: verifyCommand, summary: 'verify <imageA> <imageB> [--json]  same person? (squared L2 distance)' },
  eval: {
    run: evalCommand,
    summary:
      'eval lfw --pairs <file> --images <dir> [--json] [--no-flip] [--cache <dir>]\n' +
      '  facenet eval cluster --dir <root> [--json] [--threshold d] [--sweep a:b:step] [--cache <dir>]',
  },
};

function help(): string {
  return [
    'usage: facenet <command> [options]',
    '',
    ...Object.values(COMMANDS).map((c) => `  facenet ${c.summary}`),
    '',
    'pipeline options: --detector ssd|blazeface-full|blazeface-short  --embedder dlib|mobileface|faceres (join with +)',
    '                  --no-flip  --min-score 0..1  --min-face <px>',
    'FACENET_EP=cuda,cpu selects execution providers (default: the best the platform offers).',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`facenet: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  try {
    await command.run(rest);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`facenet ${name}: ${error.message}`);
      return 2;
    }
    if (error instanceof PhotoError) {
      console.error(`facenet ${name}: cannot read photo ${error.message}`);
      return 1;
    }
    console.error(`facenet ${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
