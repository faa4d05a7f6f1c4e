import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { readCodeBlocks, type MarkdownCodeBlock } from './support/markdown-code-blocks';

/**
 * The READMEs' TypeScript examples compile against the library's source (issue 15 item 6), and the "Module options"
 * table documents every option of forRoot and forFeature (item 5).
 *
 * Each ```ts block is a file of its own. Names it uses without importing them are imported for it from the library,
 * Nest and the order example (`@app/orders`), the way a reader fills them in; free variables of fragments (`query`,
 * `id`, ...) come from `readme-examples/readme-fragment-context.ts`. A marker comment right before a block changes how
 * it is compiled:
 * - `<!-- readme-check: body -->`: statements, compiled as the body of an async function;
 * - `<!-- readme-check: class-body -->`: members, compiled as the body of a class;
 * - `<!-- readme-check: skip (why) -->`: not compiled (say why).
 * The walkthrough "Your first workflow in a new Nest app" is compiled and run from the packed package by
 * packed-package.e2e-spec.ts.
 */
const ROOT = join(__dirname, '..', '..', '..');
const READMES = [join(ROOT, 'README.md'), join(ROOT, 'libs', 'strategos', 'README.md')];
const OUT_DIR = join(ROOT, 'dist', 'readme-examples');
const CHECKED_ELSEWHERE = new Set(['Your first workflow in a new Nest app']);
/** Where names a block leaves unimported come from, first match wins. */
const NAME_SOURCES = [
  '@strategos/nestjs',
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/microservices',
  '@app/orders',
  'node:crypto',
  join(__dirname, 'readme-examples', 'readme-fragment-context'),
];

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  lib: ['lib.es2023.d.ts'],
  types: ['node', 'jest'],
  strict: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
  skipLibCheck: true,
  resolveJsonModule: true,
  noEmit: true,
  baseUrl: ROOT,
  paths: {
    '@strategos/nestjs': ['libs/strategos/src'],
    '@strategos/nestjs/*': ['libs/strategos/src/*'],
    '@app/orders': ['libs/orders/src'],
  },
};

type Mode = 'module' | 'body' | 'class-body' | 'skip';

interface CheckedBlock {
  readonly readme: string;
  readonly block: MarkdownCodeBlock;
  readonly mode: Mode;
  readonly file: string;
}

function modeOf(block: MarkdownCodeBlock): Mode {
  const marker = /<!--\s*readme-check:\s*([a-z-]+)/.exec(block.before);
  if (!marker) return 'module';
  if (!['module', 'body', 'class-body', 'skip'].includes(marker[1]))
    throw new Error(`unknown readme-check mode '${marker[1]}' above line ${block.line}`);
  if (marker[1] === 'skip' && !/skip\s*\(.+\)/.test(block.before))
    throw new Error(`readme-check: skip above line ${block.line} gives no reason`);
  return marker[1] as Mode;
}

/** Top-level names a block declares or imports itself. */
function ownNames(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name) names.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) names.add(element.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) addBindingNames(declaration.name, names);
    } else if (
      (ts.isClassDeclaration(statement) ||
        ts.isFunctionDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isEnumDeclaration(statement)) &&
      statement.name
    ) {
      names.add(statement.name.text);
    }
  }
  return names;
}

function addBindingNames(name: ts.BindingName, names: Set<string>): void {
  if (ts.isIdentifier(name)) names.add(name.text);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) addBindingNames(element.name, names);
}

function identifiersIn(code: string): Set<string> {
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, true, ts.LanguageVariant.Standard, code);
  const names = new Set<string>();
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.Identifier) names.add(scanner.getTokenText());
  }
  return names;
}

/** The names each source module exports, and the checker of a program that sees the library's option types. */
function probe(): { exports: Map<string, Set<string>>; program: ts.Program; probeFile: string } {
  const probeFile = join(OUT_DIR, 'probe.ts');
  writeFileSync(
    probeFile,
    NAME_SOURCES.map((source, index) => `import * as m${index} from '${source}';`).join('\n') +
      `\nimport type { StrategosModuleOptions, StrategosFeatureOptions } from '@strategos/nestjs';\n` +
      `export type Probe = [${NAME_SOURCES.map((_, index) => `typeof m${index}`).join(', ')}, StrategosModuleOptions, StrategosFeatureOptions];\n`,
  );
  const program = ts.createProgram([probeFile], COMPILER_OPTIONS);
  const checker = program.getTypeChecker();
  const exports = new Map<string, Set<string>>();
  const source = program.getSourceFile(probeFile);
  if (!source) throw new Error('probe file not in the program');
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || statement.importClause?.isTypeOnly) continue;
    const module = checker.getSymbolAtLocation(statement.moduleSpecifier);
    if (!module) throw new Error(`cannot resolve ${statement.moduleSpecifier.getText(source)}`);
    exports.set(
      (statement.moduleSpecifier as ts.StringLiteral).text,
      new Set(checker.getExportsOfModule(module).map((symbol) => symbol.name)),
    );
  }
  return { exports, program, probeFile };
}

function blockFile(checked: Omit<CheckedBlock, 'file'>, exports: Map<string, Set<string>>): string {
  const { block, mode } = checked;
  const own = ownNames(ts.createSourceFile('block.ts', block.code, ts.ScriptTarget.ES2022, true));
  const imports: string[] = [];
  const taken = new Set(own);
  for (const source of NAME_SOURCES) {
    const names = [...identifiersIn(block.code)].filter((name) => !taken.has(name) && exports.get(source)?.has(name));
    names.forEach((name) => taken.add(name));
    if (names.length > 0) imports.push(`import { ${names.join(', ')} } from '${source}';`);
  }
  // One prelude line, so that line n of the block is line n + 1 of the file.
  const open =
    mode === 'body'
      ? ' export async function readmeBlock(): Promise<void> {'
      : mode === 'class-body'
        ? ' export class ReadmeBlock {'
        : ' export {};';
  const close = mode === 'module' ? '' : '}\n';
  return `${imports.join(' ')}${open}\n${block.code}${close}`;
}

/** Option paths of an options interface: its properties, and one level into plain data objects (`rabbitmq.url`). */
function optionPaths(checker: ts.TypeChecker, type: ts.Type, prefix = ''): string[] {
  const paths: string[] = [];
  for (const property of checker.getPropertiesOfType(type)) {
    const path = prefix + property.name;
    paths.push(path);
    if (prefix !== '') continue;
    const declaration = property.valueDeclaration ?? property.declarations?.[0];
    if (!declaration) continue;
    const propertyType = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(property, declaration));
    const members = checker.getPropertiesOfType(propertyType);
    const isData =
      !checker.isArrayType(propertyType) &&
      (propertyType.flags & ts.TypeFlags.Object) !== 0 &&
      members.length > 0 &&
      members.every((member) => {
        const memberType = checker.getTypeOfSymbolAtLocation(member, declaration);
        return checker.getNonNullableType(memberType).getCallSignatures().length === 0 && !(member.flags & ts.SymbolFlags.Method);
      });
    if (isData) {
      paths.pop();
      paths.push(...optionPaths(checker, propertyType, `${path}.`));
    }
  }
  return paths;
}

describe('README examples', () => {
  let blocks: CheckedBlock[];
  let program: ts.Program;
  let probeFile: string;

  beforeAll(() => {
    rmSync(OUT_DIR, { recursive: true, force: true });
    mkdirSync(OUT_DIR, { recursive: true });
    const probed = probe();
    probeFile = probed.probeFile;
    blocks = READMES.flatMap((readme) =>
      readCodeBlocks(readme)
        .filter((block) => (block.lang === 'ts' || block.lang === 'typescript') && !CHECKED_ELSEWHERE.has(block.section))
        .map((block) => {
          const checked = { readme, block, mode: modeOf(block) };
          const file = join(OUT_DIR, `${relative(ROOT, readme).replace(/[/.]/g, '-')}-line-${block.line}.ts`);
          if (checked.mode !== 'skip') writeFileSync(file, blockFile(checked, probed.exports));
          return { ...checked, file };
        }),
    );
    const files = blocks.filter((checked) => checked.mode !== 'skip').map((checked) => checked.file);
    program = ts.createProgram([...files, probeFile], COMPILER_OPTIONS, undefined, probed.program);
  }, 120_000);

  it('checks the main examples (the model in one page, the module, queries) rather than skipping them', () => {
    const checked = blocks.filter((block) => block.mode !== 'skip');
    expect(checked.length).toBeGreaterThanOrEqual(8);
    for (const section of ['The model in one page', 'Running distributed: RabbitMQ, PostgreSQL and independently scaled workers']) {
      expect(checked.filter((block) => block.block.section === section).length).toBeGreaterThan(0);
    }
    expect(blocks.filter((block) => block.mode === 'skip').length).toBeLessThanOrEqual(2);
  });

  it('compile against the library with strict settings', () => {
    const errors = blocks
      .filter((checked) => checked.mode !== 'skip')
      .flatMap((checked) => {
        const source = program.getSourceFile(checked.file);
        if (!source) return [`${checked.file} is not in the program`];
        return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((diagnostic) => {
          const line = diagnostic.start === undefined ? 0 : source.getLineAndCharacterOfPosition(diagnostic.start).line;
          const readmeLine = checked.block.line + Math.max(line, 1);
          return `${relative(ROOT, checked.readme)}:${readmeLine}: TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
        });
      });
    expect(errors).toEqual([]);
  });

  it('document every option of forRoot and forFeature in the "Module options" table', () => {
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(probeFile);
    const probeType = source?.statements.find(ts.isTypeAliasDeclaration);
    if (!probeType || !ts.isTupleTypeNode(probeType.type)) throw new Error('probe type missing');
    const [moduleOptions, featureOptions] = probeType.type.elements.slice(-2).map((node) => checker.getTypeFromTypeNode(node));
    const expected = [...optionPaths(checker, moduleOptions), ...optionPaths(checker, featureOptions), 'isGlobal'].sort();

    const readme = readFileSync(READMES[0], 'utf8');
    const section = readme.slice(readme.indexOf('\n## Module options\n'));
    const table = section.slice(0, section.indexOf('\n## ', 1));
    const documented = table
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => /^\| `([^`]+)`/.exec(line)?.[1] ?? '')
      .sort();
    expect(documented).toEqual(expected);
  });
});
