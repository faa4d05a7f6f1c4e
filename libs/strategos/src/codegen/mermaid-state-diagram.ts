import { Phase } from '../definition/phases';
import type { ContractTransition } from './contract-transition';
import type { ContractsModel } from './contracts-model';

/** The phases a run can end in; each gets an edge to the final state. */
const TERMINAL_PHASES: readonly string[] = [Phase.Completed, Phase.Compensated, Phase.Failed, Phase.Cancelled];

/**
 * Ids Mermaid's state-diagram lexer (case-insensitive) could read as a keyword; a phase whose name starts
 * with one is declared with an alias. The others appear under their own name, so the source reads as the table.
 */
const KEYWORD_PREFIX = /^(default|state|note|class|scale|hide|acc|direction|end)/i;

const INDENT = '    ';

function stateId(phase: string): string {
  if (phase === Phase.NotStarted) return '[*]';
  return KEYWORD_PREFIX.test(phase) ? `phase_${phase}` : phase;
}

/** One edge per (from, to, condition), labelled with its outcomes and the condition in brackets. */
function edges(transitions: readonly ContractTransition[]): string[] {
  const grouped = new Map<string, { from: string; to: string; outcomes: string[]; when?: string }>();
  for (const row of transitions) {
    const key = `${row.from}\n${row.to}\n${row.when ?? ''}`;
    const edge = grouped.get(key) ?? { from: row.from, to: row.to, outcomes: [], ...(row.when !== undefined ? { when: row.when } : {}) };
    if (row.on !== 'auto') edge.outcomes.push(row.on);
    grouped.set(key, edge);
  }
  return [...grouped.values()].map((edge) => {
    // Mermaid ends a label at ':' or ';', which neither outcomes nor conditions contain.
    const label = [edge.outcomes.join(', '), edge.when !== undefined ? `[${edge.when}]` : ''].filter((part) => part !== '').join(' ');
    return `${INDENT}${stateId(edge.from)} --> ${stateId(edge.to)}${label ? `: ${label}` : ''}`;
  });
}

/** Options of {@link renderStateDiagram}. */
export interface StateDiagramOptions {
  /** Phases to highlight as the run's current position(s) (the dashboard's run page). */
  readonly highlight?: readonly string[];
}

/**
 * The workflow as a Mermaid `stateDiagram-v2`: the forward chain, the compensation path, the onFailure
 * step, cancellation and retry, with each edge labelled by the outcomes that take it. Compensations and
 * the onFailure step are styled apart; highlighted phases are drawn bold.
 */
export function renderStateDiagram(model: Pick<ContractsModel, 'phases' | 'transitions'>, options: StateDiagramOptions = {}): string {
  const used = new Set(model.transitions.flatMap((row) => [row.from, row.to]));
  const phases = model.phases.filter((phase) => used.has(phase.name) && phase.name !== Phase.NotStarted);
  const aliases = phases
    .filter((phase) => stateId(phase.name) !== phase.name)
    .map((phase) => `${INDENT}state "${phase.name}" as ${stateId(phase.name)}`);
  const styled = (kind: string) => phases.filter((phase) => phase.kind === kind).map((phase) => stateId(phase.name));
  const compensations = styled('compensation');
  const onFailure = [...styled('onFailure'), ...styled('failed')];
  const highlighted = new Set(options.highlight ?? []);
  const current = phases.filter((phase) => highlighted.has(phase.name)).map((phase) => stateId(phase.name));
  return [
    'stateDiagram-v2',
    ...aliases,
    ...edges(model.transitions),
    ...phases.filter((phase) => TERMINAL_PHASES.includes(phase.name)).map((phase) => `${INDENT}${stateId(phase.name)} --> [*]`),
    `${INDENT}classDef compensation fill:#fff4e5,stroke:#b35c00`,
    `${INDENT}classDef failure fill:#fdecea,stroke:#b3261e`,
    ...(compensations.length > 0 ? [`${INDENT}class ${compensations.join(', ')} compensation`] : []),
    ...(onFailure.length > 0 ? [`${INDENT}class ${onFailure.join(', ')} failure`] : []),
    ...(current.length > 0 ? [`${INDENT}classDef current fill:#1a73e8,color:#ffffff,stroke:#0b3d91,stroke-width:3px`] : []),
    ...(current.length > 0 ? [`${INDENT}class ${current.join(', ')} current`] : []),
  ].join('\n');
}
