import { existsSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, isAbsolute } from 'node:path';
import type * as ts from 'typescript';
import { CodegenError } from './codegen.error';
import type { CompilableModule, ExtensionHandler, NodeModuleInternals } from './node-module-internals';

/** The TypeScript extensions the hook compiles. */
export const TYPESCRIPT_EXTENSIONS: readonly string[] = ['.ts', '.tsx', '.mts', '.cts'];

type TypeScript = typeof ts;

function loadTypeScript(loader: NodeModuleInternals, entry: string): TypeScript {
  try {
    return loader.createRequire(entry)('typescript') as TypeScript;
  } catch (error) {
    throw new CodegenError(
      'TYPESCRIPT_NOT_FOUND',
      `Cannot load ${entry}: the typescript package is not installed where it can be found from there; install it (npm i -D typescript) or pass the compiled .js module`,
      entry,
      { cause: error },
    );
  }
}

/** The project's compiler options (nearest tsconfig.json), made fit for loading: CommonJS, inline source maps, no declarations. */
function compilerOptions(typescript: TypeScript, entry: string): ts.CompilerOptions {
  const configPath = typescript.findConfigFile(dirname(entry), (path) => typescript.sys.fileExists(path));
  const base: ts.CompilerOptions = configPath
    ? typescript.parseJsonConfigFileContent(
        typescript.readConfigFile(configPath, (path) => typescript.sys.readFile(path)).config,
        typescript.sys,
        dirname(configPath),
      ).options
    : { target: typescript.ScriptTarget.ES2022, experimentalDecorators: true, emitDecoratorMetadata: true, esModuleInterop: true };
  return {
    ...base,
    module: typescript.ModuleKind.CommonJS,
    moduleResolution: base.moduleResolution ?? typescript.ModuleResolutionKind.Node10,
    sourceMap: false,
    inlineSourceMap: true,
    declaration: false,
    declarationMap: false,
    noEmit: false,
    composite: false,
    incremental: false,
  };
}

/** A `require("...")` call in CommonJS output, as TypeScript emits it for imports, re-exports and dynamic imports. */
const REQUIRE_CALL = /\brequire\((["'])([^"'\n]+)\1\)/g;

/**
 * Lets Node's `require` load TypeScript while one workflow module is loaded: `.ts` files (outside
 * node_modules) are transpiled with the project's compiler options (no type check), and their imports are
 * resolved as `tsc` resolves them (`paths` aliases, `baseUrl`, `./x.js` naming `./x.ts`) by rewriting each
 * `require` of the output to the file found. Only the loader's extension table is touched, for the duration
 * of a load, so that nothing of the hook outlives the call.
 */
export class TypeScriptRequireHook {
  private readonly previousExtensions = new Map<string, ExtensionHandler | undefined>();
  private readonly typescript: TypeScript;
  private readonly options: ts.CompilerOptions;

  /** @throws CodegenError `TYPESCRIPT_NOT_FOUND` when `typescript` cannot be resolved from `entry`. */
  constructor(
    private readonly loader: NodeModuleInternals,
    entry: string,
  ) {
    this.typescript = loadTypeScript(loader, entry);
    this.options = compilerOptions(this.typescript, entry);
  }

  /** Runs `load` with the hook installed. */
  run<T>(load: () => T): T {
    this.install();
    try {
      return load();
    } finally {
      this.uninstall();
    }
  }

  private install(): void {
    const previousTs = this.loader._extensions['.ts'];
    for (const extension of TYPESCRIPT_EXTENSIONS) {
      this.previousExtensions.set(extension, this.loader._extensions[extension]);
      this.loader._extensions[extension] = (module, filename) => this.compile(module, filename, previousTs);
    }
  }

  private uninstall(): void {
    for (const [extension, handler] of this.previousExtensions) {
      if (handler) this.loader._extensions[extension] = handler;
      else delete this.loader._extensions[extension];
    }
    this.previousExtensions.clear();
  }

  private compile(module: CompilableModule, filename: string, previous: ExtensionHandler | undefined): void {
    if (/[\\/]node_modules[\\/]/.test(filename) && previous) return previous(module, filename);
    const source = readFileSync(filename, 'utf8');
    const { outputText } = this.typescript.transpileModule(source, { compilerOptions: this.options, fileName: filename });
    const resolved = outputText.replace(REQUIRE_CALL, (call: string, quote: string, request: string) => {
      const file = this.resolveWithCompilerOptions(request, filename);
      return file ? `require(${JSON.stringify(file)})` : call;
    });
    module._compile(resolved, filename);
  }

  /**
   * The file `tsc` finds for `request` from `containingFile`, when Node would not find it itself: a `paths`
   * alias or a `baseUrl` import, or a relative import of a `.js` name that is a `.ts` file.
   */
  private resolveWithCompilerOptions(request: string, containingFile: string): string | undefined {
    if (isBuiltin(request) || isAbsolute(request)) return undefined;
    const relativeRequest = request.startsWith('.');
    if (relativeRequest ? !/\.[mc]?jsx?$/.test(request) : !this.options.paths && !this.options.baseUrl) return undefined;
    const { resolvedModule } = this.typescript.resolveModuleName(request, containingFile, this.options, this.typescript.sys);
    if (!resolvedModule || resolvedModule.isExternalLibraryImport || resolvedModule.resolvedFileName.endsWith('.d.ts')) return undefined;
    return existsSync(resolvedModule.resolvedFileName) ? resolvedModule.resolvedFileName : undefined;
  }
}
