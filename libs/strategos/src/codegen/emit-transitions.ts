import { docComment, PRINT_WIDTH, quote } from './code-layout';
import { TRANSITION_OUTCOMES, type ContractTransition } from './contract-transition';
import type { ContractsModel } from './contracts-model';

/** How many of {@link TRANSITION_OUTCOMES} every workflow's row type lists (started … retried); the wait outcomes follow. */
const BASE_OUTCOMES = 7;

function row(transition: ContractTransition): string {
  const fields = [`from: ${quote(transition.from)}`, `on: ${quote(transition.on)}`, `to: ${quote(transition.to)}`];
  if (transition.when !== undefined) fields.push(`when: ${quote(transition.when)}`);
  const inline = `  { ${fields.join(', ')} },`;
  return inline.length <= PRINT_WIDTH ? inline : ['  {', ...fields.map((field) => `    ${field},`), '  },'].join('\n');
}

/** The type of a row, then the transitions table as a readonly constant checked against it. */
export function emitTransitions(model: ContractsModel): string {
  const { names } = model;
  // The outcomes of a workflow without waits, then those of its waits (signal, approved, rejected, timeout, timer) that it has.
  const used = new Set(model.transitions.map((transition) => transition.on));
  const outcomes = TRANSITION_OUTCOMES.filter((outcome, index) => index < BASE_OUTCOMES || used.has(outcome)).map(quote);
  const inline = `  readonly on: ${outcomes.join(' | ')};`;
  const onField = inline.length <= PRINT_WIDTH ? inline : ['  readonly on:', ...outcomes.map((outcome) => `    | ${outcome}`)].join('\n');
  return [
    docComment([
      `A row of the transitions table of ${model.workflow}: \`on\` is started, succeeded, failed (a business failure), exhausted`,
      '(retries used up), cancelled (the step ended after a cancel was requested), auto (the engine moves on at once) or',
      'retried (or, at a wait: signal, approved, rejected, timeout, timer); `when` tells apart the rows of one phase and outcome.',
      'A step retried after an error stays in its phase.',
    ]),
    `export interface ${names.transition} {`,
    `  readonly from: ${names.phase};`,
    onField.endsWith(';') ? onField : `${onField};`,
    `  readonly to: ${names.phase};`,
    '  readonly when?: string;',
    '}',
    '',
    docComment(`How ${model.workflow} moves from phase to phase, derived from its definition and the transition engine's rules.`),
    `export const ${names.transitions} = [`,
    ...model.transitions.map(row),
    `] as const satisfies readonly ${names.transition}[];`,
  ].join('\n');
}
