import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { buildContractsModel } from './build-contracts-model';
import { CodegenError } from './codegen.error';
import type { ContractsModel, DefinitionSource } from './contracts-model';
import { emitContractsFile } from './emit-contracts-file';
import { emitDiagramMarkdown } from './emit-diagram-markdown';
import type { GeneratedFile } from './generated-file';
import { formatWithPrettier } from './prettier-formatter';
import { loadWorkflowModule, type ExportedDefinition, type WorkflowModule } from './workflow-module-loader';

/** Options of {@link generateContracts}. */
export interface GenerateContractsOptions {
  /** Where to write the files. @default the directory of the definition's module */
  readonly outDir?: string;
}

/** `./process-order.workflow`: how a file in `fromDir` imports `modulePath`, in POSIX form without extension. */
function moduleSpecifier(fromDir: string, modulePath: string): string {
  const path = relative(fromDir, modulePath).split(sep).join('/');
  const withoutExtension = path.slice(0, path.length - extname(path).length);
  return withoutExtension.startsWith('.') ? withoutExtension : `./${withoutExtension}`;
}

function definitionSource(outDir: string, module: WorkflowModule, exported: ExportedDefinition): DefinitionSource {
  const specifier = moduleSpecifier(outDir, module.path);
  const localName =
    exported.exportName === 'default'
      ? `${exported.definition.typeName[0].toLowerCase()}${exported.definition.typeName.slice(1)}Definition`
      : exported.exportName;
  return {
    exportName: exported.exportName,
    localName,
    moduleSpecifier: specifier,
    fileName: `${specifier.replace(/^\.\//, '')}${extname(module.path)}`,
  };
}

/**
 * The contracts model of every definition of a loaded module, for files in `outDir`.
 * @throws CodegenError `NAME_COLLISION` for two definitions of one workflow, or clashing generated names.
 */
export function contractModels(module: WorkflowModule, outDir: string = dirname(module.path)): ContractsModel[] {
  const workflows = new Set<string>();
  return module.definitions.map((exported) => {
    const { name } = exported.definition;
    if (workflows.has(name))
      throw new CodegenError(
        'NAME_COLLISION',
        `${module.path} exports two definitions of workflow ${name}; a name identifies one workflow on the bus, rename one`,
        module.path,
      );
    workflows.add(name);
    return buildContractsModel(exported.definition, definitionSource(outDir, module, exported));
  });
}

/** The files of every definition of a loaded module; the same module gives the same bytes. */
export function contractsOf(module: WorkflowModule, options: GenerateContractsOptions = {}): GeneratedFile[] {
  const outDir = resolve(options.outDir ?? dirname(module.path));
  return contractModels(module, outDir).flatMap((model) => filesOf(model, outDir));
}

function filesOf(model: ContractsModel, outDir: string): GeneratedFile[] {
  const contractsPath = join(outDir, `${model.workflow}.contracts.ts`);
  const diagramPath = join(outDir, `${model.workflow}.md`);
  return [
    {
      path: contractsPath,
      content: formatWithPrettier(emitContractsFile(model), contractsPath),
      workflow: model.workflow,
      kind: 'contracts',
    },
    {
      path: diagramPath,
      content: formatWithPrettier(emitDiagramMarkdown(model, basename(contractsPath)), diagramPath),
      workflow: model.workflow,
      kind: 'diagram',
    },
  ];
}

/**
 * Loads a workflow module (`.ts` from source, or compiled `.js`) and returns, for each definition it
 * exports, `<workflow>.contracts.ts` and `<workflow>.md` beside it (or in `outDir`). Writes nothing.
 * @throws CodegenError with the codes of {@link loadWorkflowModule} and {@link buildContractsModel}.
 */
export function generateContracts(modulePath: string, options: GenerateContractsOptions = {}): GeneratedFile[] {
  return contractsOf(loadWorkflowModule(modulePath), options);
}
