import { connect } from 'amqplib';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { controlQueueName, startQueueName, stepQueueName } from '@strategos/nestjs';
import { readCodeBlocks, type MarkdownCodeBlock } from './support/markdown-code-blocks';
import { runCommand } from './support/run-command';
import { createTestEnvironment, type TestEnvironment } from './support/strategos-test-app';

/**
 * The library as a user gets it: `npm run build`, `npm pack` of the built package, installed from the tarball in
 * projects outside the repository (issue 15 items 1 and 2, issue 17).
 */
const ROOT = join(__dirname, '..', '..', '..');
const BUILD_DIR = join(ROOT, 'dist', 'strategos-nestjs');
const README = join(ROOT, 'README.md');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
/** The walkthrough's workflow and steps, for cleaning up its queues. */
const WALKTHROUGH_WORKFLOW = 'greeting';
const WALKTHROUGH_STEPS = ['ComposeGreeting', 'DeliverGreeting'];

/** npm without the variables an outer `npm test` sets (they would point it at this repository), from the cache. */
function npmEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.toLowerCase().startsWith('npm_')) env[key] = value;
  return {
    ...env,
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    NO_COLOR: '1',
    ...extra,
  };
}

interface PackResult {
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}

describe('the packed library', () => {
  let workDir: string;
  let tarball: string;
  let packed: PackResult;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'strategos-pack-'));
    // Leftovers of an earlier build must not ship: the build starts from an empty directory.
    mkdirSync(join(BUILD_DIR, 'src'), { recursive: true });
    writeFileSync(join(BUILD_DIR, 'src', 'stale.ts'), 'export const stale = 1;\n');
    writeFileSync(join(BUILD_DIR, 'stale-from-an-old-build.js'), 'module.exports = 1;\n');
    await runCommand('npm', ['run', 'build'], { cwd: ROOT, env: npmEnv(), timeoutMs: 300_000 });
    const { stdout } = await runCommand('npm', ['pack', BUILD_DIR, '--json', '--pack-destination', workDir], {
      cwd: ROOT,
      env: npmEnv(),
    });
    packed = (JSON.parse(stdout) as PackResult[])[0];
    tarball = join(workDir, packed.filename);
  }, 400_000);

  afterAll(() => {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('ships only the JavaScript, the declarations, the built dashboard, README.md, LICENSE and package.json', () => {
    const all = packed.files.map((file) => file.path).sort();
    // The dashboard's front end is built at package build time and served by the package (no CDN).
    const dashboard = all.filter((path) => path.startsWith('dashboard-ui/'));
    expect(dashboard).toEqual(expect.arrayContaining(['dashboard-ui/index.html', 'dashboard-ui/.vite/manifest.json']));
    const paths = all.filter((path) => !path.startsWith('dashboard-ui/'));
    const unexpected = paths.filter((path) => !/^(package\.json|README\.md|LICENSE|.+\.js|.+\.d\.ts)$/.test(path));
    expect(unexpected).toEqual([]);
    expect(
      paths.filter((path) => /(^|\/)(src|test|apps|fixtures)\/|\.spec\.|\.map$|stale-from-an-old-build|(^|\/)stale\./.test(path)),
    ).toEqual([]);
    expect(paths).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'index.js', 'index.d.ts', 'cli/main.js']));
    // Every module ships its declarations.
    const declarations = new Set(paths.filter((path) => path.endsWith('.d.ts')));
    expect(paths.filter((path) => path.endsWith('.js') && !declarations.has(path.replace(/\.js$/, '.d.ts')))).toEqual([]);
  });

  describe('installed with its declared dependencies only', () => {
    let project: string;

    beforeAll(async () => {
      project = join(workDir, 'strict-user');
      mkdirSync(join(project, 'src'), { recursive: true });
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'strict-user', version: '1.0.0', private: true }, null, 2));
      // npm 7+ installs the peer dependencies with the package: nothing else is added.
      await runCommand('npm', ['install', tarball], { cwd: project, env: npmEnv(), timeoutMs: 300_000 });
    }, 400_000);

    it('compiles a strict program on the public API, as CommonJS and as ESM, with skipLibCheck off (module nodenext)', async () => {
      writeFileSync(
        join(project, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            module: 'nodenext',
            moduleResolution: 'nodenext',
            strict: true,
            skipLibCheck: false,
            experimentalDecorators: true,
            emitDecoratorMetadata: true,
            noEmit: true,
          },
          include: ['src'],
        }),
      );
      // .cts is compiled as CommonJS and .mts as an ES module, whatever package.json says.
      writeFileSync(join(project, 'src', 'program.cts'), PUBLIC_API_PROGRAM);
      writeFileSync(join(project, 'src', 'program.mts'), PUBLIC_API_PROGRAM);
      await expect(runCommand(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: project })).resolves.toMatchObject({ code: 0 });
    });
  });

  describe('the README walkthrough "Your first workflow in a new Nest app"', () => {
    let environment: TestEnvironment;
    let blocks: MarkdownCodeBlock[];

    beforeAll(async () => {
      environment = await createTestEnvironment();
      blocks = readCodeBlocks(README).filter((block) => block.section === 'Your first workflow in a new Nest app');
    });

    afterAll(async () => {
      const connection = await connect(environment.rabbitmqUrl);
      try {
        const channel = await connection.createChannel();
        for (const step of WALKTHROUGH_STEPS) await channel.deleteQueue(stepQueueName(environment.namespace, WALKTHROUGH_WORKFLOW, step));
        await channel.deleteQueue(startQueueName(environment.namespace, WALKTHROUGH_WORKFLOW));
        await channel.deleteQueue(controlQueueName(environment.namespace, WALKTHROUGH_WORKFLOW));
      } finally {
        await connection.close();
      }
      await environment.cleanup([]);
    });

    it('installs, compiles and runs a workflow on the real servers as written', async () => {
      const [setup, buildAndRun, ...otherShellBlocks] = blocks.filter((block) => block.lang === 'bash');
      expect(otherShellBlocks).toEqual([]);
      const files = blocks.filter((block) => /^`[^`]+`:/.test(block.before));
      expect(files.map((block) => block.before.slice(1, block.before.indexOf('`', 1)))).toEqual([
        'tsconfig.json',
        'src/greeting.workflow.ts',
        'src/app.module.ts',
        'src/main.ts',
      ]);
      const expected = blocks.find((block) => block.lang === 'text');
      expect(setup.code).toContain('/path/to/strategos-nestjs-0.1.0.tgz');

      const setupOutput = await runCommand(
        'bash',
        ['-euo', 'pipefail', '-c', setup.code.replaceAll('/path/to/strategos-nestjs-0.1.0.tgz', tarball)],
        {
          cwd: workDir,
          env: npmEnv(),
          timeoutMs: 300_000,
        },
      );
      // Node 20 with the README's override: npm has nothing to warn about.
      expect(setupOutput.stderr).not.toContain('EBADENGINE');

      const app = join(workDir, 'greeter');
      for (const block of files) {
        const path = join(app, block.before.slice(1, block.before.indexOf('`', 1)));
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, block.code);
      }
      const { stdout } = await runCommand('bash', ['-euo', 'pipefail', '-c', buildAndRun.code], {
        cwd: app,
        env: npmEnv(environment.env),
        timeoutMs: 120_000,
      });

      // The README shows the line with an elided id: a word with `…` in it stands for any word.
      const words = (expected?.code ?? '').trim().split(/\s+/);
      const pattern = new RegExp(
        words.map((word) => (word.includes('…') ? '\\S+' : word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('\\s+'),
      );
      expect(stdout).toMatch(pattern);
      const workflowId = /greeting (\S+) completed/.exec(stdout)?.[1];
      const database = new Client({ connectionString: environment.databaseUrl });
      await database.connect();
      try {
        const { rows } = await database.query<{ status: string; phase: string }>(
          `SELECT status, phase FROM "${environment.schema}".instances WHERE workflow_id = $1`,
          [workflowId],
        );
        expect(rows).toEqual([{ status: 'completed', phase: 'Completed' }]);
      } finally {
        await database.end();
      }
    });
  });
});

/** A user's program on the public API: module, steps, definition, starter, query, control, harness. */
const PUBLIC_API_PROGRAM = `import { Injectable, Module } from '@nestjs/common';
import {
  Step,
  StepResult,
  StrategosModule,
  StrategosTestHarness,
  Workflow,
  WorkflowControl,
  WorkflowError,
  WorkflowQuery,
  WorkflowStarter,
  evolve,
  type StepContext,
  type WorkflowState,
  type WorkflowStep,
  type WorkflowView,
} from '@strategos/nestjs';

interface GreetingState extends WorkflowState {
  readonly name: string;
  readonly greeting?: string;
}

@Injectable()
class Greetings {
  compose(name: string): string {
    return 'Hello, ' + name;
  }
}

@Step({ name: 'Compose', timeoutMs: 5_000, retry: { maxAttempts: 2 } })
class Compose implements WorkflowStep<GreetingState> {
  constructor(private readonly greetings: Greetings) {}

  async execute(state: Readonly<GreetingState>, context: StepContext, signal: AbortSignal): Promise<StepResult<GreetingState>> {
    if (signal.aborted) return StepResult.fail(WorkflowError.create('ABORTED', 'aborted at attempt ' + context.attempt));
    context.logger.log('composing');
    return evolve(state).with('greeting', this.greetings.compose(state.name)).asResult();
  }
}

@Step()
class Forget implements WorkflowStep<GreetingState> {
  async execute(): Promise<StepResult<GreetingState>> {
    return StepResult.ok({ greeting: undefined });
  }
}

@Step()
class Deliver implements WorkflowStep<GreetingState> {
  async execute(state: Readonly<GreetingState>): Promise<StepResult<GreetingState>> {
    return state.greeting ? StepResult.ok() : StepResult.fail(WorkflowError.create('NOTHING_TO_DELIVER', 'no greeting'));
  }
}

export const greeting = Workflow.create<GreetingState>('greeting').startWith(Compose, { compensate: Forget }).finally(Deliver);

@Module({
  imports: [
    StrategosModule.forRoot({
      namespace: 'greeter',
      rabbitmq: { url: 'amqp://localhost', queueType: 'classic' },
      postgres: { url: 'postgres://localhost/app', schema: 'greeter' },
      steps: ['Compose'],
      defaultRetry: { maxAttempts: 5 },
    }),
    StrategosModule.forFeature({ workflows: [greeting] }),
  ],
  providers: [Greetings, Compose, Forget, Deliver],
})
export class GreeterModule {}

@Injectable()
export class Greeter {
  constructor(
    private readonly starter: WorkflowStarter,
    private readonly query: WorkflowQuery,
    private readonly control: WorkflowControl,
  ) {}

  async greet(name: string): Promise<string | undefined> {
    const { workflowId } = await this.starter.start(greeting, { workflowId: name, name });
    const view: WorkflowView<GreetingState> | null = await this.query.get<GreetingState>(workflowId);
    if (view?.status === 'failed') await this.control.retry(workflowId);
    const history = await this.query.history(workflowId);
    const done = await this.query.waitFor<GreetingState>(workflowId, { timeoutMs: 10_000 });
    return history.length > 0 ? done.state.greeting : undefined;
  }
}

export async function unitTest(): Promise<string> {
  const harness = await StrategosTestHarness.create({ workflows: [greeting], providers: [Greetings] });
  try {
    const { workflowId } = await harness.starter.start(greeting, { workflowId: 'w-1', name: 'Ada' });
    return (await harness.query.waitFor<GreetingState>(workflowId)).status;
  } finally {
    await harness.close();
  }
}
`;
