import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateContracts } from '../src/codegen/contracts-generator';
import { SAMPLE_SHAPES } from '../src/codegen/testing/sample-workflows';
import { createTemporaryProject, REPOSITORY_ROOT, type TemporaryProject } from '../src/codegen/testing/temporary-project';
import { unifiedDiff } from '../src/codegen/unified-diff';

const ORDERS = join(REPOSITORY_ROOT, 'libs', 'orders', 'src');
/** The `strategos` bin as the e2e global setup compiles it (tsconfig.build.json into dist/). */
const CLI = join(REPOSITORY_ROOT, 'dist', 'libs', 'strategos', 'src', 'cli', 'main.js');

function strategos(cwd: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the generated contracts of the order workflow', () => {
  it('are what the generator makes of libs/orders/src/process-order.workflow.ts today (else run `npm run generate`)', () => {
    const files = generateContracts(join(ORDERS, 'process-order.workflow.ts'));
    expect(files.map((file) => file.path)).toEqual([join(ORDERS, 'process-order.contracts.ts'), join(ORDERS, 'process-order.md')]);
    for (const file of files) {
      const committed = readFileSync(file.path, 'utf8');
      // The diff reads from the committed file to a fresh generation; the committed file is never rewritten here.
      expect(
        unifiedDiff(committed, file.content, { oldLabel: `${file.path} (committed)`, newLabel: 'fresh generation', maxLines: 200 }),
      ).toBe('');
    }
  });
});

describe('strategos generate --check on a copy of the order workflow', () => {
  let project: TemporaryProject;

  beforeAll(() => {
    project = createTemporaryProject('strategos-check-');
    cpSync(ORDERS, join(project.root, 'src'), { recursive: true, filter: (source) => !source.endsWith('.spec.ts') });
  });

  afterAll(() => project.remove());

  it('passes, fails naming each file with a diff once a step is added, and passes again after regeneration', () => {
    expect(strategos(project.root, 'generate', '--check', 'src/process-order.workflow.ts')).toMatchObject({
      code: 0,
      stdout: 'strategos generate --check: 2 generated files are up to date\n',
    });

    const workflowPath = join(project.root, 'src', 'process-order.workflow.ts');
    const definition = readFileSync(workflowPath, 'utf8');
    expect(definition).toContain('.finally(SendConfirmation)');
    project.write(
      'src/steps/audit-order.step.ts',
      "import { Step, StepResult, type WorkflowStep } from '@strategos/nestjs';\nimport type { OrderState } from '../domain/order';\n\n@Step()\nexport class AuditOrder implements WorkflowStep<OrderState> {\n  execute(): StepResult<OrderState> {\n    return StepResult.ok();\n  }\n}\n",
    );
    project.write(
      'src/process-order.workflow.ts',
      `import { AuditOrder } from './steps/audit-order.step';\n${definition.replace('.finally(SendConfirmation)', '.then(AuditOrder)\n  .finally(SendConfirmation)')}`,
    );

    const stale = strategos(project.root, 'generate', '--check', 'src/process-order.workflow.ts');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(
      'src/process-order.contracts.ts: out of date (process-order); it differs from a fresh generation:\n--- src/process-order.contracts.ts (committed)\n+++ src/process-order.contracts.ts (generated)\n@@ ',
    );
    expect(stale.stderr).toContain("+  AuditOrder: 'AuditOrder',");
    expect(stale.stderr).toContain('src/process-order.md: out of date (process-order)');
    expect(stale.stderr).toContain('+    FulfillOrder --> AuditOrder: succeeded');

    expect(strategos(project.root, 'generate', 'src/process-order.workflow.ts')).toMatchObject({
      code: 0,
      stdout: 'wrote src/process-order.contracts.ts\nwrote src/process-order.md\n',
    });
    expect(strategos(project.root, 'generate', '--check', 'src/process-order.workflow.ts').code).toBe(0);
  });
});

describe('generated contracts of workflows of every shape', () => {
  let project: TemporaryProject;

  beforeAll(() => {
    project = createTemporaryProject('strategos-shapes-');
    SAMPLE_SHAPES.forEach((shape, index) => {
      const module = project.write(
        `src/${shape.name}.workflow.ts`,
        `import { SAMPLE_SHAPES, sampleWorkflow } from '@strategos/nestjs/codegen/testing/sample-workflows';\n\nexport const definition = sampleWorkflow(SAMPLE_SHAPES[${index}]);\n`,
      );
      for (const file of generateContracts(module)) project.write(`src/${file.path.split('/').pop()}`, file.content);
    });
  });

  afterAll(() => project.remove());

  it('compile under strict with the decorators the runtime uses', () => {
    expect(readdirSync(join(project.root, 'src')).filter((name) => name.endsWith('.contracts.ts'))).toHaveLength(SAMPLE_SHAPES.length);
    const tsc = spawnSync(
      process.execPath,
      [join(REPOSITORY_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project.root, '--noEmit'],
      { encoding: 'utf8' },
    );
    // Only the generated files are under test here; the library's own type errors are `npm run typecheck`'s.
    const errors = `${tsc.stdout}${tsc.stderr}`.split('\n').filter((line) => line.includes('.contracts.ts('));
    expect(errors).toEqual([]);
  });
});
