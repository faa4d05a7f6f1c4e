/**
 * Strategos for NestJS: declarative, durable sagas on RabbitMQ and PostgreSQL.
 *
 * @example
 * \@Step()
 * export class ProcessPayment implements WorkflowStep<OrderState> {
 *   constructor(private readonly payments: PaymentService) {}
 *   async execute(state: Readonly<OrderState>, context: StepContext): Promise<StepResult<OrderState>> {
 *     const payment = await this.payments.charge(state.order, context.idempotencyKey);
 *     if (!payment.success) return StepResult.fail(WorkflowError.create('PAYMENT_FAILED', 'Payment processing failed'));
 *     return evolve(state).with('payment', payment).with('status', OrderStatus.Paid).asResult();
 *   }
 * }
 *
 * export const processOrder = Workflow.create<OrderState>('process-order')
 *   .startWith(ValidateOrder)
 *   .then(ProcessPayment, { compensate: RefundPayment })
 *   .finally(SendConfirmation);
 *
 * \@Module({
 *   imports: [
 *     StrategosModule.forRoot({ rabbitmq: { url: 'amqp://…' }, postgres: { url: 'postgres://…' } }),
 *     StrategosModule.forFeature({ workflows: [processOrder] }),
 *   ],
 *   providers: [ValidateOrder, ProcessPayment, RefundPayment, SendConfirmation, PaymentService],
 * })
 * export class OrderModule {}
 */

// State
export type { WorkflowState, StatePatch, JsonObject, JsonValue } from './state/workflow-state.interface';
export { evolve, StateEvolution } from './state/evolve';
export { deepFreeze } from './state/deep-freeze';
export { StateUpdateError } from './state/state-update.error';

// Steps
export { Step, getStepOptions } from './step/step.decorator';
export type { StepOptions } from './step/step-options.interface';
export type { WorkflowStep, StepClass } from './step/workflow-step.interface';
export type { StepContext } from './step/step-context.interface';
export { StepResult, type StepSucceeded, type StepFailed } from './step/step-result';
export { WorkflowError } from './step/workflow-error';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './step/retry-policy';

// Definitions
export { Workflow, WorkflowBuilder, type WorkflowOptions } from './definition/workflow';
export { ApprovalDecision } from './definition/approval-decision.dto';
export type { AwaitSignalOptions, AwaitApprovalOptions, PayloadClass, SignalApply, WaitSubFlow } from './definition/wait-options.interface';
export {
  SIGNAL_TIMEOUT,
  APPROVAL_REJECTED,
  DEADLINE_EXCEEDED,
  SIGNAL_NOT_ACCEPTED,
  UNKNOWN_SIGNAL,
  INVALID_SIGNAL_PAYLOAD,
} from './engine/wait-codes';
export type { SignalOptions, SignalResult, ApprovalOptions } from './signals/signal-options.interface';
export type { Clock } from './signals/clock';
export { TestClock } from './testing/test-clock';
export type { WorkflowDefinition, StepDefinition, StepRole } from './definition/workflow-definition';
export type { ThenOptions } from './definition/then-options.interface';
export {
  FlowBuilder,
  FailureChain,
  type BranchCases,
  type BranchValue,
  type EndedFlow,
  type RepeatOptions,
  type SubFlow,
} from './definition/flow-builder';
export type {
  WorkflowGraph,
  WorkflowNode,
  WorkflowNodeKind,
  NodeId,
  StepNode,
  BranchNode,
  BranchCase,
  LoopNode,
  RepeatNode,
  WaitNode,
  GuardNode,
  EndNode,
} from './definition/workflow-graph';
export { ParallelFlowConstructs } from './definition/flow-builder';
export type { ForkJoin } from './definition/fork-builder';
export { Reducers, type Reducer, type StateReducers, type ReducerOptions } from './definition/reducers';
export type { ForkNode, JoinNode } from './definition/workflow-graph';
export { WorkflowDefinitionError } from './definition/workflow-definition.error';
export { DiagnosticCode } from './definition/diagnostic-codes';
export { Phase } from './definition/phases';

// Engine records and events
export type {
  WorkflowStatus,
  RecordedError,
  WorkflowInstance,
  StepCursor,
  ActivePosition,
  LoopIteration,
} from './engine/workflow-instance';
export { BRANCH_NO_CASE, LOOP_LIMIT_EXCEEDED, CONDITION_ERROR, NODE_NOT_IN_DEFINITION } from './engine/graph-walk';
export { WorkflowEventKind, type WorkflowEvent } from './engine/workflow-event';
export type { StepCommand } from './engine/step-command';
export { STEP_EXHAUSTED, STEP_NOT_IN_DEFINITION } from './engine/transition-engine';
export { TransitionRejectedError } from './engine/transition-rejected.error';
export { REDUCER_FAILED, FORK_PATH_INVALID } from './engine/fork-join';
export type { ForkPosition, PathPosition } from './engine/fork-position';

// Messages and topology
export { StrategosHeader } from './messages/outbox-message';
export { stepQueueName, startQueueName, controlQueueName, eventRoutingKey, topologyNames } from './messages/topology';
export { WorkflowControlCommandDto } from './messages/workflow-control-command.dto';
export { StartWorkflowCommandDto } from './messages/start-workflow-command.dto';
export { StepCommandDto } from './messages/step-command.dto';
export { DEFAULT_MESSAGE_LIMITS, jsonDepthExceeds, type MessageLimits } from './messages/message-limits';
export { validTraceparent, isValidTraceparent } from './tracing/trace-context';

// Client and query
export { WorkflowStarter, type StartResult, type StartOptions } from './client/workflow-starter';
export { WorkflowControl } from './client/workflow-control';
export { WorkflowNotFoundError } from './client/workflow-not-found.error';
export { InvalidStartError } from './client/invalid-start.error';
export { WorkflowQuery, type WaitForOptions } from './query/workflow-query';
export type { WorkflowQueryOptions } from './query/workflow-query-options.interface';
export type { WorkflowListFilter, WorkflowPage } from './query/workflow-list-filter.interface';
export { InvalidListQueryError } from './query/invalid-list-query.error';
export type { InstanceListQuery, InstancePage, InstancePosition } from './persistence/instance-list-query.interface';
export type { StepDuration } from './persistence/step-duration.interface';
export type { WorkflowView, HistoryEntry, ActivePositionView } from './query/workflow-view';
export { WaitForTimeoutError } from './query/wait-for-timeout.error';

// Dead letters
export { DeadLetters } from './dead-letters/dead-letters';
export type { DeadLetter, DeadLetterFilter, DeadLetterPosition } from './dead-letters/dead-letter';
export type { DeadLetterStore } from './dead-letters/dead-letter-store.interface';
export { DeadLetterNotFoundError } from './dead-letters/dead-letter-not-found.error';

// Generated contracts
export type { WorkflowContracts, StepCommandClass, WorkflowEventClass } from './codegen/workflow-contracts.interface';
export type { ContractTransition } from './codegen/contract-transition';
export type { PhaseOf, StepOf, CommandOf, EventOf, EventMapOf } from './codegen/contract-types';

// Nest
export { StrategosModule, type StrategosFeatureOptions } from './nest/strategos.module';
export type { StrategosModuleOptions } from './nest/strategos-module-options.interface';
export { StrategosRuntime, type StrategosHealth } from './nest/strategos-runtime';
export type { StrategosHealthReport, StalledPosition } from './health/strategos-health-report';
export type { StalledRun, QueueConsumers, StallDetectionOptions } from './query/stall-detector';
export { StrategosConfigError } from './nest/strategos-config.error';
export { StrategosConsoleLogger, type StrategosConsoleLoggerOptions } from './logging/strategos-console-logger';

// Adapters
export type { Transport, OutgoingMessage, IncomingMessage, Disposition } from './transport/transport.interface';
export type { WorkflowStore, TransitionWrite, WriteResult } from './persistence/workflow-store.interface';
export { InMemoryTransport } from './transport/in-memory/in-memory-transport';
export { InMemoryWorkflowStore } from './persistence/in-memory/in-memory-workflow-store';
export { RabbitMqTransport } from './transport/rabbitmq/rabbitmq-transport';
export { PostgresWorkflowStore } from './persistence/postgres/postgres-workflow-store';
export type { PostgresStoreOptions } from './persistence/postgres/postgres-store-options.interface';
export { PostgresOptionsError } from './persistence/postgres/postgres-options.error';
export type { RabbitMqTransportOptions } from './transport/rabbitmq/rabbitmq-transport-options.interface';
export { RabbitMqTransportError } from './transport/rabbitmq/rabbitmq-transport.error';
export { InvalidTransportOptionsError } from './transport/rabbitmq/invalid-transport-options.error';
export { InMemoryTransportError } from './transport/in-memory/in-memory-transport.error';

// Observing workflow events from a Nest microservice
export { StrategosEventsServer } from './transport/rabbitmq/strategos-events.server';
export { StrategosEventsContext } from './transport/rabbitmq/strategos-events.context';
export { STRATEGOS_EVENTS_TRANSPORT } from './transport/rabbitmq/strategos-events.constants';
export type { StrategosEventsServerOptions } from './transport/rabbitmq/strategos-events-server-options.interface';

// Testing
export { StrategosTestHarness, type StrategosTestHarnessOptions } from './testing/strategos-test-harness';

// Dashboard
export { StrategosDashboardModule } from './dashboard/strategos-dashboard.module';
export type { StrategosDashboardOptions, DashboardRequest } from './dashboard/strategos-dashboard-options.interface';
export { StrategosDashboardConfigError } from './dashboard/strategos-dashboard-config.error';
export {
  StrategosDashboardService,
  type DashboardMeta,
  type RunDetails,
  type ActionResult,
  type DeadLetterPage,
} from './dashboard/strategos-dashboard.service';
export type {
  DashboardAction,
  DashboardActionField,
  DashboardActionServices,
  DashboardActionOutcome,
} from './dashboard/dashboard-action.interface';
export type { RunWait } from './dashboard/run-wait';
export type { RunSummary, RunSummaryPage } from './dashboard/run-summary';
export type { WorkflowStats, StepLatency, StepQueueStatus } from './dashboard/workflow-stats';
export type { LiveBatch } from './dashboard/live-updates';
export { recordOperatorAction, type OperatorActionRecord } from './engine/operator-action';
