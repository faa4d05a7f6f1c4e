import { resolve } from 'node:path';
import { CodegenError } from '../../codegen/codegen.error';
import { contractModels } from '../../codegen/contracts-generator';
import { renderStateDiagram } from '../../codegen/mermaid-state-diagram';
import { loadWorkflowModule } from '../../codegen/workflow-module-loader';
import type { CliCommand } from '../cli-command.interface';
import { CliUsageError } from '../cli-usage.error';
import { parseCommandArgs } from '../parse-command-args';
import { ExitCode } from '../run-cli';

/**
 * `strategos diagram <module> [workflow]`: prints the Mermaid `stateDiagram-v2` of the module's workflow
 * definitions, or of the one named (by workflow name or export name).
 */
export const diagramCommand: CliCommand = {
  name: 'diagram',
  summary: 'Print the Mermaid state diagram of a workflow definition, with its compensation and onFailure paths',
  usage: 'strategos diagram <module.ts|module.js> [workflow]',
  run(args, io) {
    const { positionals } = parseCommandArgs(args, {});
    const [modulePath, workflow, ...extra] = positionals;
    if (modulePath === undefined || extra.length > 0)
      throw new CliUsageError('pass one module and, optionally, the name of one of its workflows');
    const module = loadWorkflowModule(resolve(io.cwd, modulePath));
    const models = contractModels(module).filter(
      (model) => workflow === undefined || model.workflow === workflow || model.source.exportName === workflow,
    );
    if (models.length === 0) {
      const known = module.definitions.map((exported) => `${exported.definition.name} (export ${exported.exportName})`).join(', ');
      throw new CodegenError('WORKFLOW_NOT_FOUND', `${modulePath} has no workflow ${workflow}; it exports ${known}`, module.path);
    }
    io.stdout(`${models.map((model) => renderStateDiagram(model)).join('\n\n')}\n`);
    return ExitCode.Success;
  },
};
