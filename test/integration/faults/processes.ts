/**
 * The real `facenet` CLI as a child process, run to the end or killed with SIGKILL part-way (a crash, a power
 * cut, the OS killing the app): the faults are injected from outside, into the program the user runs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { REPO } from '../../helpers/facenet-cli.js';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Killed with SIGKILL before it ended by itself. */
  killed: boolean;
  ms: number;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Run as this user and group id (dropping root, so that file permissions apply). */
  uid?: number;
  /** Give up (SIGKILL, reported as a failure) after this long. */
  timeoutMs?: number;
}

const spawnOptions = (o: RunOptions) => ({
  cwd: REPO,
  env: { ...process.env, ...o.env },
  ...(o.uid === undefined ? {} : { uid: o.uid, gid: o.uid }),
});

/** Runs `facenet args…` to the end. */
export function facenet(args: string[], o: RunOptions = {}): Run {
  const start = Date.now();
  const r = spawnSync(process.execPath, ['bin/facenet.js', ...args], {
    ...spawnOptions(o),
    encoding: 'utf8',
    timeout: o.timeoutMs ?? 300_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, killed: false, ms: Date.now() - start };
}

/** Runs `facenet args…` and kills it with SIGKILL `afterMs` after it started, unless it ended before. */
export function facenetKilled(args: string[], afterMs: number, o: RunOptions = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const child = spawn(process.execPath, ['bin/facenet.js', ...args], spawnOptions(o));
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), afterMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, killed: signal === 'SIGKILL', ms: Date.now() - start });
    });
  });
}

/** One line of a failed run, for the table: the message the user saw. */
export function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? ''
  );
}

/** True when the text carries a JavaScript stack trace (the user should see one sentence instead). */
export const hasStackTrace = (text: string): boolean => /\n\s+at .+\(?.+:\d+:\d+\)?/.test(text);

/** Whether a command exists on this machine. */
export const hasCommand = (name: string): boolean => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
