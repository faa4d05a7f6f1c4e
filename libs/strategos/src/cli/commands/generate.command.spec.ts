import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createTemporaryProject, type TemporaryProject } from '../../codegen/testing/temporary-project';
import { ExitCode, runCli } from '../run-cli';
import { diagramCommand } from './diagram.command';
import { generateCommand } from './generate.command';
import { recordingIo } from '../../../test/support/recording-io';

const STEPS = `import { Step } from '@strategos/nestjs/step/step.decorator';
import { StepResult } from '@strategos/nestjs/step/step-result';

export function step(name: string) {
  @Step({ name })
  class Named {
    execute() {
      return StepResult.ok();
    }
  }
  return Named;
}
`;

function workflow(steps: readonly string[]): string {
  const chain = steps.map((name, index) => `.${index === 0 ? 'startWith' : 'then'}(step('${name}'))`).join('');
  return `import { Workflow } from '@strategos/nestjs/definition/workflow';
import type { WorkflowState } from '@strategos/nestjs/state/workflow-state.interface';
import { step } from './steps';

export interface ParcelState extends WorkflowState { readonly weight?: number }

export const shipParcel = Workflow.create<ParcelState>('ship-parcel')${chain}.build();
`;
}

describe('strategos generate', () => {
  let project: TemporaryProject;
  const commands = [generateCommand, diagramCommand];
  const run = async (...args: string[]) => {
    const io = recordingIo(project.root);
    return { code: await runCli(args, io, commands), out: io.out(), err: io.err() };
  };

  beforeAll(() => {
    project = createTemporaryProject();
    project.write('src/steps.ts', STEPS);
    project.write('src/ship-parcel.workflow.ts', workflow(['Pack', 'Ship']));
  });

  afterAll(() => project.remove());

  it('writes the contracts and the diagram beside the definition, then leaves them unchanged', async () => {
    expect(await run('generate', 'src/ship-parcel.workflow.ts')).toEqual({
      code: ExitCode.Success,
      out: 'wrote src/ship-parcel.contracts.ts\nwrote src/ship-parcel.md\n',
      err: '',
    });
    expect(readFileSync(join(project.root, 'src/ship-parcel.contracts.ts'), 'utf8')).toContain(
      'export class ExecutePackCommand extends ShipParcelCommandEnvelope implements StepCommand {',
    );
    expect(readFileSync(join(project.root, 'src/ship-parcel.md'), 'utf8')).toContain('    Pack --> Ship: succeeded');
    expect((await run('generate', 'src/ship-parcel.workflow.ts')).out).toBe(
      'unchanged src/ship-parcel.contracts.ts\nunchanged src/ship-parcel.md\n',
    );
  });

  it('passes --check when the files are up to date, and fails it with a diff per file after the definition changed', async () => {
    expect(await run('generate', '--check', 'src/ship-parcel.workflow.ts')).toMatchObject({
      code: ExitCode.Success,
      out: 'strategos generate --check: 2 generated files are up to date\n',
    });
    project.write('src/ship-parcel.workflow.ts', workflow(['Pack', 'Weigh', 'Ship']));
    const stale = await run('generate', '--check', 'src/ship-parcel.workflow.ts');
    expect(stale.code).toBe(ExitCode.Failure);
    expect(stale.err).toContain(
      'src/ship-parcel.contracts.ts: out of date (ship-parcel); it differs from a fresh generation:\n--- src/ship-parcel.contracts.ts (committed)\n+++ src/ship-parcel.contracts.ts (generated)\n@@ ',
    );
    expect(stale.err).toContain("+  Weigh: 'Weigh',");
    expect(stale.err).toContain('src/ship-parcel.md: out of date (ship-parcel)');
    expect(stale.err).toContain('2 of 2 generated files are not up to date');
    expect(readFileSync(join(project.root, 'src/ship-parcel.contracts.ts'), 'utf8')).not.toContain('Weigh');
    await run('generate', 'src/ship-parcel.workflow.ts');
    expect((await run('generate', '--check', 'src/ship-parcel.workflow.ts')).code).toBe(ExitCode.Success);
  });

  it('fails --check naming a missing file', async () => {
    rmSync(join(project.root, 'src/ship-parcel.md'));
    const missing = await run('generate', '--check', 'src/ship-parcel.workflow.ts');
    expect(missing).toMatchObject({ code: ExitCode.Failure, err: expect.stringContaining('src/ship-parcel.md: missing (ship-parcel)') });
    expect(existsSync(join(project.root, 'src/ship-parcel.md'))).toBe(false);
  });

  it('writes to --out-dir, importing the definition from there', async () => {
    expect((await run('generate', '--out-dir', 'contracts', 'src/ship-parcel.workflow.ts')).code).toBe(ExitCode.Success);
    expect(readFileSync(join(project.root, 'contracts/ship-parcel.contracts.ts'), 'utf8')).toContain(
      "import type { shipParcel } from '../src/ship-parcel.workflow';",
    );
  });

  it('exits 2 without a module, and 1 naming a module that does not exist', async () => {
    expect(await run('generate')).toMatchObject({ code: ExitCode.Usage, err: expect.stringContaining('no module given') });
    expect(await run('generate', 'src/nope.workflow.ts')).toMatchObject({
      code: ExitCode.Failure,
      err: expect.stringContaining('(MODULE_NOT_FOUND)'),
    });
  });
});

describe('strategos diagram', () => {
  let project: TemporaryProject;

  beforeAll(() => {
    project = createTemporaryProject();
    project.write('src/steps.ts', STEPS);
    project.write('src/ship-parcel.workflow.ts', workflow(['Pack', 'Ship']));
  });

  afterAll(() => project.remove());

  it('prints the Mermaid diagram of the named workflow, by workflow or export name', async () => {
    for (const name of ['ship-parcel', 'shipParcel']) {
      const io = recordingIo(project.root);
      expect(await runCli(['diagram', 'src/ship-parcel.workflow.ts', name], io, [diagramCommand])).toBe(ExitCode.Success);
      expect(io.out()).toMatch(/^stateDiagram-v2\n {4}\[\*\] --> Pack: started\n {4}Pack --> Ship: succeeded\n/);
    }
  });

  it('names the workflows a module has when asked for another', async () => {
    const io = recordingIo(project.root);
    expect(await runCli(['diagram', 'src/ship-parcel.workflow.ts', 'nope'], io, [diagramCommand])).toBe(ExitCode.Failure);
    expect(io.err()).toContain('has no workflow nope; it exports ship-parcel (export shipParcel) (WORKFLOW_NOT_FOUND)');
  });
});
