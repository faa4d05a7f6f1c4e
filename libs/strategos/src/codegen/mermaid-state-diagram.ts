import { Phase } from '../definition/phases';
import type { ContractTransition } from './contract-transition';
import type { WorkflowDefinition } from '../definition/workflow-definition';
import type { ContractsModel, StepContract } from './contracts-model';
import { compensationsInRunOrder, derivePhases } from './workflow-phases';
import { CHOICE_PREFIX, deriveTransitions, FORK_PREFIX, JOIN_PREFIX } from './workflow-transitions';

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
  // A wait's phase (`AwaitSignal(manager-approval)`) has characters an id cannot: an alias shows the name.
  if (/[^A-Za-z0-9_]/.test(phase)) return `phase_${phase.replace(/[^A-Za-z0-9]/g, '_').replace(/_+$/, '')}`;
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

/** What the diagram is drawn from: the phases, the steps (to tell onFailure steps) and the diagram's rows. */
export interface DiagramModel extends Pick<ContractsModel, 'phases' | 'diagramTransitions'> {
  readonly steps: readonly Pick<StepContract, 'name' | 'role'>[];
}

/** The diagram's model of a registered definition (what the generator derives, without the contracts' names). */
export function diagramModelOf(definition: WorkflowDefinition): DiagramModel {
  const steps = [...definition.steps, ...compensationsInRunOrder(definition), ...definition.onFailure];
  return {
    phases: derivePhases(definition),
    steps: steps.map((step) => ({ name: step.name, role: step.role })),
    diagramTransitions: deriveTransitions(definition, true),
  };
}

/** The node of the `Compensated` phase a run ends in after its onFailure chain, apart from the one it passes through. */
const FINAL_COMPENSATED = 'CompensatedEnd';

/**
 * The diagram's rows, where the onFailure chain ends in `Compensated`: that end is a node of its own, so that
 * `Compensated -> onFailure -> Compensated` does not read as a cycle.
 */
function separateFinalCompensated(model: DiagramModel): readonly ContractTransition[] {
  const failureSteps = new Set(model.steps.filter((step) => step.role === 'onFailure').map((step) => step.name));
  return model.diagramTransitions.map((row) =>
    failureSteps.has(row.from) && row.to === Phase.Compensated ? { ...row, to: FINAL_COMPENSATED } : row,
  );
}

/**
 * The workflow as a Mermaid `stateDiagram-v2`: the forward chain, the compensation path, the onFailure
 * step, cancellation and retry, with each edge labelled by the outcomes that take it. Compensations and
 * the onFailure step are styled apart; highlighted phases are drawn bold.
 */
export function renderStateDiagram(model: DiagramModel, options: StateDiagramOptions = {}): string {
  const transitions = separateFinalCompensated(model);
  const used = new Set(transitions.flatMap((row) => [row.from, row.to]));
  const phases = model.phases.filter((phase) => used.has(phase.name) && phase.name !== Phase.NotStarted);
  const choices = [...used].filter((id) => id.startsWith(CHOICE_PREFIX));
  const aliases = [
    ...phases
      .filter((phase) => stateId(phase.name) !== phase.name)
      .map((phase) => `${INDENT}state "${phase.name}" as ${stateId(phase.name)}`),
    ...(used.has(FINAL_COMPENSATED) ? [`${INDENT}state "${Phase.Compensated} (end)" as ${FINAL_COMPENSATED}`] : []),
    ...choices.map((id) => `${INDENT}state ${id} <<choice>>`),
    ...[...used].filter((id) => id.startsWith(FORK_PREFIX)).map((id) => `${INDENT}state ${id} <<fork>>`),
    ...[...used].filter((id) => id.startsWith(JOIN_PREFIX)).map((id) => `${INDENT}state ${id} <<join>>`),
  ];
  const styled = (kind: string) => phases.filter((phase) => phase.kind === kind).map((phase) => stateId(phase.name));
  const compensations = [...styled('compensation'), ...(used.has(Phase.Compensating) ? [Phase.Compensating] : [])];
  const onFailure = [...styled('onFailure'), ...styled('failed')];
  const highlighted = new Set(options.highlight ?? []);
  const current = phases.filter((phase) => highlighted.has(phase.name)).map((phase) => stateId(phase.name));
  return [
    'stateDiagram-v2',
    ...aliases,
    ...edges(transitions),
    ...phases
      .filter((phase) => TERMINAL_PHASES.includes(phase.name) && !(phase.name === Phase.Compensated && used.has(FINAL_COMPENSATED)))
      .map((phase) => `${INDENT}${stateId(phase.name)} --> [*]`),
    ...(used.has(FINAL_COMPENSATED) ? [`${INDENT}${FINAL_COMPENSATED} --> [*]`] : []),
    `${INDENT}classDef compensation fill:#fff4e5,stroke:#b35c00`,
    `${INDENT}classDef failure fill:#fdecea,stroke:#b3261e`,
    ...(compensations.length > 0 ? [`${INDENT}class ${compensations.join(', ')} compensation`] : []),
    ...(onFailure.length > 0 ? [`${INDENT}class ${onFailure.join(', ')} failure`] : []),
    ...(current.length > 0 ? [`${INDENT}classDef current fill:#1a73e8,color:#ffffff,stroke:#0b3d91,stroke-width:3px`] : []),
    ...(current.length > 0 ? [`${INDENT}class ${current.join(', ')} current`] : []),
  ].join('\n');
}
