import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');

/** A child Node process running compiled code from dist/, with its output collected. */
export interface RunningProcess {
  readonly child: ChildProcess;
  readonly output: string[];
  /** Resolves when a line of output contains `text`. */
  waitForOutput(text: string, timeoutMs?: number): Promise<string>;
  /** Sends `signal` and resolves with the exit code/signal. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `dist/<entry>` (compiled by the global setup) with the path aliases registered. */
export function startProcess(entry: string, env: Record<string, string>): RunningProcess {
  const child = spawn(process.execPath, ['-r', join(ROOT, 'scripts', 'paths.js'), join(ROOT, 'dist', entry)], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const waiters: { text: string; resolve: (line: string) => void }[] = [];
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (line.trim() === '') continue;
      output.push(line);
      for (const waiter of [...waiters]) {
        if (line.includes(waiter.text)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output,
    waitForOutput(text, timeoutMs = 30_000) {
      const seen = output.find((line) => line.includes(text));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no output "${text}" from ${entry} within ${timeoutMs} ms; output:\n${output.slice(-30).join('\n')}`)),
          timeoutMs,
        );
        waiters.push({ text, resolve: (line) => (clearTimeout(timer), resolve(line)) });
        void exited.then(({ code, signal }) =>
          reject(new Error(`${entry} exited (${code ?? signal}) before "${text}"; output:\n${output.slice(-30).join('\n')}`)),
        );
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
