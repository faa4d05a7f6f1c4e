import { spawn, type ChildProcess } from 'node:child_process';
import { REGISTER_PATHS, REPO_ROOT, compiledEntry } from './bench-paths';
import { peakRssMb } from './proc-stats';

const KEPT_LINES = 40;

/** How to start a worker: a compiled bench entry in its own Node process. */
export interface ChildWorkerSpec {
  /** Name in progress and error messages. */
  readonly name: string;
  /** A bench file without extension, e.g. `framework/bench-worker.main`. */
  readonly entry: string;
  readonly env: Readonly<Record<string, string>>;
  /** Extra Node flags (e.g. `--cpu-prof`). */
  readonly nodeFlags?: readonly string[];
  /** Copies the child's output to stderr. */
  readonly verbose: boolean;
}

/** A worker in a child process: waits for its ready line, reports its peak RSS, stops it. */
export class ChildWorker {
  private readonly child: ChildProcess;
  private readonly recent: string[] = [];
  private readonly lineListeners = new Set<(line: string) => void>();
  private readonly exited: Promise<string>;

  constructor(private readonly spec: ChildWorkerSpec) {
    const args = [...(spec.nodeFlags ?? []), '-r', REGISTER_PATHS, compiledEntry(spec.entry)];
    this.child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', this.lineReader());
    this.child.stderr?.on('data', this.lineReader());
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve(String(code ?? signal))));
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.spec.name} did not start`);
    return this.child.pid;
  }

  /** Why the child is gone (`exited with 1`), or undefined while it runs. */
  get exitReason(): string | undefined {
    const { exitCode, signalCode } = this.child;
    return exitCode === null && signalCode === null
      ? undefined
      : `${this.spec.name} exited (${exitCode ?? signalCode}); its last output:\n${this.recentOutput}`;
  }

  /** The last lines the child printed, for error messages. */
  get recentOutput(): string {
    return this.recent.join('\n');
  }

  /** Resolves with the text after `marker` on the first line that contains it. */
  waitForLine(marker: string, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const onLine = (line: string): void => {
        if (!line.includes(marker)) return;
        cleanUp();
        resolve(line.slice(line.indexOf(marker) + marker.length).trim());
      };
      const fail = (what: string): void => {
        cleanUp();
        reject(new Error(`${this.spec.name} ${what}; its last output:\n${this.recentOutput}`));
      };
      const onExit = (code: number | null, signal: string | null): void => fail(`exited (${code ?? signal}) before '${marker}'`);
      const timer = setTimeout(() => fail(`printed no '${marker}' within ${timeoutMs} ms`), timeoutMs);
      const cleanUp = (): void => {
        clearTimeout(timer);
        this.lineListeners.delete(onLine);
        this.child.off('exit', onExit);
      };
      this.lineListeners.add(onLine);
      this.child.on('exit', onExit);
    });
  }

  /** The child's peak RSS so far (call before `stop`). */
  peakRssMb(): Promise<number | null> {
    return peakRssMb(this.pid);
  }

  /** Sends SIGTERM (SIGKILL after `graceMs`) and resolves with the exit code or signal. */
  async stop(graceMs = 15_000): Promise<string> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }

  /** A `data` listener for one stream that hands on complete lines. */
  private lineReader(): (chunk: Buffer) => void {
    let partial = '';
    return (chunk) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) this.onLine(line);
    };
  }

  private onLine(line: string): void {
    if (line.trim() === '') return;
    if (this.spec.verbose) process.stderr.write(`[${this.spec.name}] ${line}\n`);
    this.recent.push(line);
    if (this.recent.length > KEPT_LINES) this.recent.shift();
    for (const listener of [...this.lineListeners]) listener(line);
  }
}
