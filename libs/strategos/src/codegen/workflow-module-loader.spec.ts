import { CodegenError } from './codegen.error';
import { nativeModuleLoader } from './node-module-internals';
import { createTemporaryProject, type TemporaryProject } from './testing/temporary-project';
import { loadWorkflowModule } from './workflow-module-loader';

/** A workflow module that imports the library through the project's path aliases and a step from a sibling file. */
function workflowSource(steps: readonly string[]): string {
  return [
    "import { Workflow } from '@strategos/nestjs/definition/workflow';",
    "import type { WorkflowState } from '@strategos/nestjs/state/workflow-state.interface';",
    "import { step } from './steps';",
    '',
    'interface ShipmentState extends WorkflowState { readonly parcel?: string }',
    '',
    `const builder = Workflow.create<ShipmentState>('ship-parcel')${steps.map((name, index) => `.${index === 0 ? 'startWith' : 'then'}(step('${name}'))`).join('')};`,
    'export const shipParcel = builder.build();',
    'export const theShipParcelWorkflow = shipParcel;',
    "export const returnParcel = Workflow.create<ShipmentState>('return-parcel').startWith(step('Collect')).build();",
    "export const notADefinition = { name: 'x' };",
    '',
  ].join('\n');
}

const STEPS_SOURCE = [
  "import { Step } from '@strategos/nestjs/step/step.decorator';",
  "import { StepResult } from '@strategos/nestjs/step/step-result';",
  '',
  'export function step(name: string) {',
  '  @Step({ name })',
  '  class Named {',
  '    execute() {',
  '      return StepResult.ok();',
  '    }',
  '  }',
  '  return Named;',
  '}',
  '',
].join('\n');

describe('loadWorkflowModule', () => {
  let project: TemporaryProject;

  beforeAll(() => {
    project = createTemporaryProject();
    project.write('src/steps.ts', STEPS_SOURCE);
  });

  afterAll(() => project.remove());

  it('loads a TypeScript module from source with its path aliases and returns each exported definition once, by workflow name', () => {
    const path = project.write('src/ship-parcel.workflow.ts', workflowSource(['Pack', 'Ship']));
    const module = loadWorkflowModule(path);
    expect(module.path).toBe(path);
    expect(
      module.definitions.map(({ exportName, definition }) => [exportName, definition.name, definition.steps.map((step) => step.name)]),
    ).toEqual([
      ['returnParcel', 'return-parcel', ['Collect']],
      ['shipParcel', 'ship-parcel', ['Pack', 'Ship']],
    ]);
  });

  it('sees an edited module when it loads it again in the same process', () => {
    const path = project.write('src/edited.workflow.ts', workflowSource(['Pack', 'Ship']));
    const shipParcelSteps = () =>
      loadWorkflowModule(path)
        .definitions.find(({ definition }) => definition.name === 'ship-parcel')
        ?.definition.steps.map((step) => step.name);
    expect(shipParcelSteps()).toEqual(['Pack', 'Ship']);
    project.write('src/edited.workflow.ts', workflowSource(['Pack', 'Weigh', 'Ship']));
    expect(shipParcelSteps()).toEqual(['Pack', 'Weigh', 'Ship']);
  });

  it('resolves an import written with the .js name of a .ts file, as tsc does', () => {
    const path = project.write('src/esm-style.workflow.ts', workflowSource(['Pack']).replace("from './steps';", "from './steps.js';"));
    expect(loadWorkflowModule(path).definitions.map(({ exportName }) => exportName)).toEqual(['returnParcel', 'shipParcel']);
  });

  it('removes its require hook after loading', () => {
    const loader = nativeModuleLoader();
    const before = loader._extensions['.ts'];
    loadWorkflowModule(project.write('src/hook.workflow.ts', workflowSource(['Pack'])));
    expect(loader._extensions['.ts']).toBe(before);
  });

  it('names a missing module', () => {
    expect(() => loadWorkflowModule(`${project.root}/src/missing.workflow.ts`)).toThrow(
      expect.objectContaining({ code: 'MODULE_NOT_FOUND' }),
    );
  });

  it('reports a module that exports no definition', () => {
    const path = project.write('src/empty.workflow.ts', 'export const nothing = 1;\n');
    expect(() => loadWorkflowModule(path)).toThrow(
      expect.objectContaining({ code: 'NO_WORKFLOW_DEFINITION', message: expect.stringContaining('empty.workflow.ts') }),
    );
  });

  it('reports a module whose definition is invalid, with the definition error', () => {
    const path = project.write('src/invalid.workflow.ts', workflowSource(['Pack', 'Pack']));
    let caught: unknown;
    try {
      loadWorkflowModule(path);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CodegenError);
    expect(caught).toMatchObject({
      code: 'MODULE_LOAD_FAILED',
      message: expect.stringMatching(/invalid\.workflow\.ts.*STRAT004 ship-parcel \/ Pack/),
    });
  });
});
