/**
 * `facenet` command-line entry point: dispatches to one module per command.
 */
import { ApiError } from '../../../src-shared/api.js';
import { toApiError } from '../../app/api-errors.js';
import { plainProblem } from '../../app/plain-errors.js';
import { EngineError, PhotoError } from '../../app/engine-types.js';
import { StoppedByUser, UsageError } from './args.js';
import { benchCommand } from './commands/bench.js';
import { detectCommand } from './commands/detect.js';
import { ignoreCommand, ignoredCommand, unignoreCommand } from './commands/ignore.js';
import { mergeCommand, moveCommand, nameCommand, reclusterCommand, rejectCommand } from './commands/edit.js';
import { evalCommand } from './commands/eval.js';
import { exportCommand } from './commands/export.js';
import { importCommand } from './commands/import.js';
import { indexCommand } from './commands/index.js';
import { peopleCommand, personCommand } from './commands/people.js';
import { errorsCommand, statusCommand } from './commands/status.js';
import { serveCommand } from './commands/serve.js';
import { modelsCommand } from './commands/models.js';
import { tuneCommand } from './commands/tune.js';
import { verifyCommand } from './commands/verify.js';
import { printable } from '../../../src-shared/names.js';

const COMMANDS: Record<string, { run(argv: string[]): Promise<void>; summary: string }> = {
  serve: {
    run: serveCommand,
    summary: 'serve [--library <path>] [--port n]  the app in a browser (127.0.0.1, secret-token URL)',
  },
  detect: { run: detectCommand, summary: 'detect <image> [--json]            faces: boxes, landmarks, scores' },
  verify: { run: verifyCommand, summary: 'verify <imageA> <imageB> [--json]  same person? (squared L2 distance)' },
  index: {
    run: indexCommand,
    summary: 'index <folder…> [--watch]          add folders, index them; --watch: then follow changes',
  },
  status: { run: statusCommand, summary: 'status [--json]                    folders, photos, faces, people' },
  errors: { run: errorsCommand, summary: 'errors [--json]                    photos that failed, with the reason' },
  people: { run: peopleCommand, summary: 'people [--json] [--all]            the people found' },
  person: { run: personCommand, summary: 'person <id|name> [--json]          one person and their faces' },
  name: { run: nameCommand, summary: 'name <person> <name>               name (or rename) a person' },
  merge: { run: mergeCommand, summary: "merge <person> <other>             the other's faces join the first person" },
  move: { run: moveCommand, summary: 'move <face> <person|new>           this face is that person (confirmed)' },
  reject: { run: rejectCommand, summary: 'reject <face> <person>             this face is not that person' },
  ignore: {
    run: ignoreCommand,
    summary: 'ignore <face…> [--reason not-a-face|stranger]  never group these faces again',
  },
  unignore: { run: unignoreCommand, summary: 'unignore <face…>                   stop ignoring these faces' },
  ignored: { run: ignoredCommand, summary: 'ignored [--json]                   the ignored faces, and why' },
  recluster: {
    run: reclusterCommand,
    summary: 'recluster [--threshold d]          re-cluster, honouring your decisions',
  },
  export: {
    run: exportCommand,
    summary:
      'export --format folders|csv|json|xmp [--out <dir>] [--people <person>…] [--link symlink|hardlink|copy]\n' +
      '         [--sidecar photo.jpg.xmp|photo.xmp] [--confirmed-only]  people out (default: all named people)',
  },
  import: {
    run: importCommand,
    summary: 'import xmp <folder…> [--index] [--no-recluster]  names from XMP face regions (digiKam, Lightroom…)',
  },
  tune: {
    run: tuneCommand,
    summary: 'tune [--harmonic] [--json] [--apply]  learn from your confirmed faces: before/after figures',
  },
  models: {
    run: modelsCommand,
    summary: 'models [--json] | models use <version>  embedding versions (0 = shipped); use = apply/roll back',
  },
  bench: {
    run: benchCommand,
    summary:
      'bench <photo|folder…> [--provider cpu,cuda,dml,coreml] [--concurrency 1,2]  photos/s on your photos, per provider',
  },
  eval: {
    run: evalCommand,
    summary:
      'eval lfw --pairs <file> --images <dir> [--json] [--no-flip] [--cache <dir>]\n' +
      '  facenet eval cluster --dir <root> [--json] [--threshold d] [--sweep a:b:step] [--cache <dir>]\n' +
      '  facenet eval cluster --dir <root> --label-people <m> --label-faces <k> [--seed s] [--json]  naming simulation',
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
    'library options: --library <path> (default: the user-data folder, e.g. ~/.local/share/facenet-photos/library.db)',
    '  <person> is a person id (12, #12, "Unnamed #12") or name; <face> a face id (see facenet person).',
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
  } catch (caught) {
    // Commands that run an app use case in process (detect, verify, eval) get the engine's errors unmapped:
    // map them as the API does.
    const error = caught instanceof EngineError ? toApiError(caught) : caught;
    if (error instanceof UsageError) {
      console.error(`facenet ${name}: ${printable(error.message, { keepNewlines: true })}`);
      return 2;
    }
    if (error instanceof StoppedByUser) {
      console.error(`facenet ${name}: ${error.message}`);
      return 130;
    }
    if (error instanceof ApiError) {
      // Internal errors reach here as a generic message with an id; the detail was logged where it happened.
      console.error(`facenet ${name}: ${printable(error.message)}`);
      return error.code === 'internal' ? 1 : 2;
    }
    // A locked library, a full disk, a damaged database: one sentence, not a stack trace.
    const plain = plainProblem(error);
    if (plain) {
      console.error(`facenet ${name}: ${printable(plain.message)}`);
      return 1;
    }
    if (error instanceof PhotoError) {
      console.error(`facenet ${name}: cannot read photo ${printable(error.message)}`);
      return 1;
    }
    console.error(
      `facenet ${name}: ${printable(error instanceof Error ? (error.stack ?? error.message) : String(error), { keepNewlines: true })}`,
    );
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
