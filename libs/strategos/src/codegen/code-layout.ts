/**
 * Lays out generated TypeScript the way Prettier prints it with the repository's settings (width 140,
 * single quotes, trailing commas), so that the output is formatted even where Prettier is not installed,
 * and running Prettier over it changes nothing.
 */
export const PRINT_WIDTH = 140;

const INDENT = '  ';

/** A TSDoc comment: one line, or one line per paragraph line. */
export function docComment(text: string | readonly string[], indent = ''): string {
  const lines = typeof text === 'string' ? [text] : text;
  if (lines.length === 1 && `${indent}/** ${lines[0]} */`.length <= PRINT_WIDTH) return `${indent}/** ${lines[0]} */`;
  return [`${indent}/**`, ...lines.map((line) => `${indent} * ${line}`.trimEnd()), `${indent} */`].join('\n');
}

/** `<head> A | B;` on one line, on the next line, or one member per line, whichever fits first. */
export function unionType(head: string, members: readonly string[]): string {
  const union = members.length > 0 ? members.join(' | ') : 'never';
  if (`${head} ${union};`.length <= PRINT_WIDTH) return `${head} ${union};`;
  if (`${INDENT}${union};`.length <= PRINT_WIDTH) return `${head}\n${INDENT}${union};`;
  return `${head}\n${members.map((member, index) => `${INDENT}| ${member}${index === members.length - 1 ? ';' : ''}`).join('\n')}`;
}

/** A class property with its decorators on its line when it fits, else one decorator per line. */
export function decoratedProperty(decorators: readonly string[], declaration: string, indent = INDENT): string {
  const inline = `${indent}${[...decorators, declaration].join(' ')}`;
  if (inline.length <= PRINT_WIDTH) return inline;
  return [...decorators, declaration].map((part) => `${indent}${part}`).join('\n');
}

/** A string literal in the repository's quotes; names and routing keys need no escaping, anything else is escaped. */
export function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Indents every non-empty line of `text` by `levels` steps. */
export function indent(text: string, levels = 1): string {
  const prefix = INDENT.repeat(levels);
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `${prefix}${line}`))
    .join('\n');
}

/** `<head> <body>;` on one line, or broken after `=` when it does not fit. */
export function typeAlias(head: string, body: string): string {
  const line = `${head} ${body};`;
  return line.length <= PRINT_WIDTH ? line : `${head}\n${INDENT}${body};`;
}

/**
 * `export class X extends Y implements Z {` on one line, or one heritage clause per line when it does not fit
 * (Prettier keeps a lone `extends` clause on the line, however long).
 */
export function classHead(declaration: string, heritage: readonly string[]): string {
  const line = `${[declaration, ...heritage].join(' ')} {`;
  if (line.length <= PRINT_WIDTH || heritage.length < 2) return line;
  return [declaration, ...heritage.map((clause) => `${INDENT}${clause}`), '{'].join('\n');
}

/** `<head><P><tail>` on one line, or with the type parameter on a line of its own when it does not fit; just `<head><tail>` without one. */
export function withTypeParameter(head: string, parameter: string | undefined, tail: string): string {
  if (parameter === undefined) return `${head}${tail}`;
  const line = `${head}<${parameter}>${tail}`;
  return line.length <= PRINT_WIDTH ? line : `${head}<\n${INDENT}${parameter},\n>${tail}`;
}
