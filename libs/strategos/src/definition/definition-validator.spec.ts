import type { WorkflowState } from '../state/workflow-state.interface';
import { StepResult } from '../step/step-result';
import { Step } from '../step/step.decorator';
import type { StepOptions } from '../step/step-options.interface';
import type { StepClass, WorkflowStep } from '../step/workflow-step.interface';
import { DiagnosticCode } from './diagnostic-codes';
import { Workflow } from './workflow';
import { WorkflowDefinitionError } from './workflow-definition.error';

/** A decorated step class with the given wire name and options. */
function stepNamed(name: string, options: Omit<StepOptions, 'name'> = {}): StepClass {
  @Step({ name, ...options })
  class NamedStep implements WorkflowStep<WorkflowState> {
    execute(): StepResult<WorkflowState> {
      return StepResult.ok();
    }
  }
  return NamedStep;
}

/** Something the compiler would reject as a step; the DSL must reject it at run time too (plain JS callers, casts). */
function asStep(value: unknown): StepClass {
  return value as StepClass;
}

@Step()
class ValidateOrder implements WorkflowStep<WorkflowState> {
  execute(): StepResult<WorkflowState> {
    return StepResult.ok();
  }
}

@Step()
class ProcessPayment implements WorkflowStep<WorkflowState> {
  execute(): StepResult<WorkflowState> {
    return StepResult.ok();
  }
}

@Step()
class RefundPayment implements WorkflowStep<WorkflowState> {
  execute(): StepResult<WorkflowState> {
    return StepResult.ok();
  }
}

@Step()
class SendConfirmation implements WorkflowStep<WorkflowState> {
  execute(): StepResult<WorkflowState> {
    return StepResult.ok();
  }
}

@Step()
class NotifyFailure implements WorkflowStep<WorkflowState> {
  execute(): StepResult<WorkflowState> {
    return StepResult.ok();
  }
}

@Step()
class Completed implements WorkflowStep<WorkflowState> {
  execute(): StepResult<WorkflowState> {
    return StepResult.ok();
  }
}

class HasNoExecute {
  run(): StepResult<WorkflowState> {
    return StepResult.ok();
  }
}

const notAStep = (): StepResult<WorkflowState> => StepResult.ok();

const wf = (name = 'process-order') => Workflow.create<WorkflowState>(name);

/** A definition whose only questionable part is the options of its middle step. */
const withOptions = (options: StepOptions) => () =>
  wf().startWith(ValidateOrder).then(stepNamed('Charge', options)).finally(SendConfirmation);
const withThenOptions = (options: Parameters<ReturnType<typeof wf>['then']>[1]) => () =>
  wf().startWith(ValidateOrder).then(ProcessPayment, options).finally(SendConfirmation);

interface DiagnosticCase {
  readonly title: string;
  readonly build: () => unknown;
  readonly workflow: string;
  /** The step the message must name; absent for a diagnostic about the workflow as a whole. */
  readonly step?: string;
  /** More text the message must contain (the option at fault, the fix). */
  readonly mentions?: string;
}

/** Raised by the Nest module, not by the DSL, so tested there. */
type ModuleCode = typeof DiagnosticCode.StepNotProvided | typeof DiagnosticCode.DuplicateWorkflowName;

/** Every code the DSL raises, with the cases that trigger it; the Record type makes a new code fail to compile until it has cases. */
const cases: Record<Exclude<DiagnosticCode, ModuleCode>, readonly DiagnosticCase[]> = {
  [DiagnosticCode.EmptyWorkflow]: [
    { title: 'rejects a workflow without steps', build: () => Workflow.create('x').build(), workflow: 'x' },
    {
      title: 'rejects a workflow that only has an onFailure step',
      build: () => wf().onFailure(NotifyFailure).build(),
      workflow: 'process-order',
    },
  ],
  [DiagnosticCode.InvalidWorkflowName]: [
    {
      title: 'rejects an upper-case workflow name',
      build: () => wf('Process-Order').startWith(ValidateOrder).build(),
      workflow: 'Process-Order',
    },
    {
      title: 'rejects a workflow name with spaces',
      build: () => wf('process order').startWith(ValidateOrder).build(),
      workflow: 'process order',
    },
    {
      title: 'rejects a workflow name with dots',
      build: () => wf('process.order').startWith(ValidateOrder).build(),
      workflow: 'process.order',
    },
    {
      title: 'rejects a workflow name with underscores',
      build: () => wf('process_order').startWith(ValidateOrder).build(),
      workflow: 'process_order',
    },
    {
      title: 'rejects a workflow name starting with a digit',
      build: () => wf('1-order').startWith(ValidateOrder).build(),
      workflow: '1-order',
    },
    {
      title: 'rejects a workflow name with a trailing or doubled hyphen',
      build: () => wf('order--x-').startWith(ValidateOrder).build(),
      workflow: 'order--x-',
    },
    {
      title: 'rejects a workflow name of 64 characters',
      build: () => wf('a'.repeat(64)).startWith(ValidateOrder).build(),
      workflow: 'a'.repeat(64),
    },
    { title: 'rejects an empty workflow name', build: () => wf('').startWith(ValidateOrder).build(), workflow: '', mentions: '""' },
    {
      title: 'rejects a workflow name that is not a string',
      build: () =>
        Workflow.create(42 as unknown as string)
          .startWith(ValidateOrder)
          .build(),
      workflow: '42',
    },
    { title: 'rejects an invalid name even when the workflow has no step', build: () => wf('Bad Name').build(), workflow: 'Bad Name' },
  ],
  [DiagnosticCode.InvalidStepName]: [
    {
      title: 'rejects a step name starting with a digit',
      build: () => wf().startWith(ValidateOrder).finally(stepNamed('1Step')),
      workflow: 'process-order',
      step: '1Step',
    },
    {
      title: 'rejects a step name with a hyphen',
      build: () => wf().startWith(ValidateOrder).finally(stepNamed('Process-Payment')),
      workflow: 'process-order',
      step: 'Process-Payment',
    },
    {
      title: 'rejects a step name with a space',
      build: () => wf().startWith(ValidateOrder).finally(stepNamed('Process Payment')),
      workflow: 'process-order',
      step: 'Process Payment',
    },
    {
      title: 'rejects a step name with a dot',
      build: () => wf().startWith(ValidateOrder).finally(stepNamed('Process.Payment')),
      workflow: 'process-order',
      step: 'Process.Payment',
    },
    {
      title: 'rejects a step name of 64 characters',
      build: () =>
        wf()
          .startWith(ValidateOrder)
          .finally(stepNamed(`S${'x'.repeat(63)}`)),
      workflow: 'process-order',
      step: `S${'x'.repeat(63)}`,
    },
    {
      title: 'rejects an empty @Step name',
      build: () => wf().startWith(ValidateOrder).finally(stepNamed('')),
      workflow: 'process-order',
      step: '',
      mentions: '""',
    },
    {
      title: 'rejects an invalid name on a compensation step',
      build: () =>
        wf()
          .startWith(ValidateOrder, { compensate: stepNamed('undo-it') })
          .finally(SendConfirmation),
      workflow: 'process-order',
      step: 'undo-it',
    },
    {
      title: 'rejects an invalid name on the onFailure step',
      build: () => wf().onFailure(stepNamed('notify!')).startWith(ValidateOrder).finally(SendConfirmation),
      workflow: 'process-order',
      step: 'notify!',
    },
  ],
  [DiagnosticCode.DuplicateStepName]: [
    {
      title: 'rejects two classes with the same @Step name',
      build: () => wf().startWith(stepNamed('Charge')).finally(stepNamed('Charge')),
      workflow: 'process-order',
      step: 'Charge',
    },
    {
      title: 'rejects the same class twice',
      build: () => wf().startWith(ProcessPayment).then(ValidateOrder).finally(ProcessPayment),
      workflow: 'process-order',
      step: 'ProcessPayment',
    },
    {
      title: 'rejects a compensation with the name of a forward step',
      build: () =>
        wf()
          .startWith(ValidateOrder, { compensate: stepNamed('SendConfirmation') })
          .finally(SendConfirmation),
      workflow: 'process-order',
      step: 'SendConfirmation',
    },
    {
      title: 'rejects a then(Step, { name }) that repeats a name',
      build: () => wf().startWith(ProcessPayment).then(ProcessPayment, { name: 'ProcessPayment' }).finally(SendConfirmation),
      workflow: 'process-order',
      step: 'ProcessPayment',
    },
    {
      title: 'rejects a step name used in two branch cases',
      build: () =>
        wf()
          .startWith(ValidateOrder)
          .branch(() => 'a' as 'a' | 'b', { a: (b) => b.then(ProcessPayment), b: (b) => b.then(ProcessPayment) })
          .finally(SendConfirmation),
      workflow: 'process-order',
      step: 'ProcessPayment',
    },
    {
      title: 'rejects one compensation class for two steps',
      build: () =>
        wf()
          .startWith(ValidateOrder, { compensate: RefundPayment })
          .then(ProcessPayment, { compensate: RefundPayment })
          .finally(SendConfirmation),
      workflow: 'process-order',
      step: 'RefundPayment',
    },
    {
      title: 'rejects an onFailure step with the name of a forward step',
      build: () => wf().onFailure(ValidateOrder).startWith(ValidateOrder).finally(SendConfirmation),
      workflow: 'process-order',
      step: 'ValidateOrder',
    },
  ],
  [DiagnosticCode.NotAStepClass]: [
    {
      title: 'rejects a plain object with an execute method',
      build: () =>
        wf()
          .startWith(ValidateOrder)
          .finally(asStep({ execute: () => StepResult.ok() })),
      workflow: 'process-order',
      step: '[object Object]',
    },
    {
      title: 'rejects a class without an execute method',
      build: () => wf().startWith(ValidateOrder).finally(asStep(HasNoExecute)),
      workflow: 'process-order',
      step: 'HasNoExecute',
    },
    {
      title: 'rejects an arrow function',
      build: () => wf().startWith(asStep(notAStep)).finally(SendConfirmation),
      workflow: 'process-order',
      step: 'notAStep',
    },
    {
      title: 'rejects an undefined step, as a circular import produces',
      build: () => wf().startWith(asStep(undefined)).finally(SendConfirmation),
      workflow: 'process-order',
    },
    {
      title: 'rejects a compensation that is not a step class',
      build: () =>
        wf()
          .startWith(ValidateOrder, { compensate: asStep(HasNoExecute) })
          .finally(SendConfirmation),
      workflow: 'process-order',
      step: 'HasNoExecute',
    },
    {
      title: 'rejects an onFailure step that is not a step class',
      build: () => wf().onFailure(asStep(notAStep)).startWith(ValidateOrder).finally(SendConfirmation),
      workflow: 'process-order',
      step: 'notAStep',
    },
  ],
  [DiagnosticCode.CompensationOnTerminalStep]: [
    {
      title: 'rejects a compensation on the terminal step given to finally()',
      build: () => wf().startWith(ValidateOrder).finally(ProcessPayment, { compensate: RefundPayment }),
      workflow: 'process-order',
      step: 'ProcessPayment',
    },
    {
      title: 'rejects a compensation on the last step of build()',
      build: () => wf().startWith(ValidateOrder).then(ProcessPayment, { compensate: RefundPayment }).build(),
      workflow: 'process-order',
      step: 'ProcessPayment',
    },
    {
      title: 'rejects a compensation on a single-step workflow',
      build: () => wf().startWith(ProcessPayment, { compensate: RefundPayment }).build(),
      workflow: 'process-order',
      step: 'ProcessPayment',
    },
  ],
  [DiagnosticCode.StepOrder]: [
    {
      title: 'rejects then() before startWith()',
      build: () => wf().then(ProcessPayment),
      workflow: 'process-order',
      step: 'ProcessPayment',
      mentions: 'startWith()',
    },
    {
      title: 'rejects startWith() twice',
      build: () => wf().startWith(ValidateOrder).startWith(ProcessPayment),
      workflow: 'process-order',
      step: 'ProcessPayment',
      mentions: 'then()',
    },
    {
      title: 'rejects finally() on an empty builder',
      build: () => wf().finally(SendConfirmation),
      workflow: 'process-order',
      step: 'SendConfirmation',
      mentions: 'startWith()',
    },
    {
      title: 'rejects finally() after only onFailure()',
      build: () => wf().onFailure(NotifyFailure).finally(SendConfirmation),
      workflow: 'process-order',
      step: 'SendConfirmation',
    },
  ],
  [DiagnosticCode.DuplicateOnFailure]: [
    {
      title: 'rejects onFailure() twice',
      build: () => wf().startWith(ValidateOrder).onFailure(NotifyFailure).onFailure(RefundPayment),
      workflow: 'process-order',
      step: 'RefundPayment',
    },
  ],
  [DiagnosticCode.InvalidStepOption]: [
    {
      title: 'rejects timeoutMs 0',
      build: withOptions({ timeoutMs: 0 }),
      workflow: 'process-order',
      step: 'Charge',
      mentions: 'timeoutMs',
    },
    {
      title: 'rejects a negative timeoutMs',
      build: withOptions({ timeoutMs: -5 }),
      workflow: 'process-order',
      step: 'Charge',
      mentions: 'timeoutMs',
    },
    {
      title: 'rejects a NaN timeoutMs',
      build: withOptions({ timeoutMs: Number.NaN }),
      workflow: 'process-order',
      step: 'Charge',
      mentions: 'timeoutMs',
    },
    {
      title: 'rejects an infinite timeoutMs',
      build: withOptions({ timeoutMs: Number.POSITIVE_INFINITY }),
      workflow: 'process-order',
      step: 'Charge',
      mentions: 'timeoutMs',
    },
    {
      title: 'rejects retry.maxAttempts 0',
      build: withOptions({ retry: { maxAttempts: 0 } }),
      workflow: 'process-order',
      step: 'Charge',
      mentions: 'retry.maxAttempts',
    },
    {
      title: 'rejects a fractional retry.maxAttempts',
      build: withOptions({ retry: { maxAttempts: 1.5 } }),
      workflow: 'process-order',
      step: 'Charge',
      mentions: 'retry.maxAttempts',
    },
    {
      title: 'rejects a negative retry.initialDelayMs',
      build: withOptions({ retry: { initialDelayMs: -1 } }),
      workflow: 'process-order',
      step: 'Charge',
      mentions: 'retry.initialDelayMs',
    },
    {
      title: 'rejects a negative retry.maxDelayMs',
      build: withOptions({ retry: { maxDelayMs: -1 } }),
      workflow: 'process-order',
      step: 'Charge',
      mentions: 'retry.maxDelayMs',
    },
    {
      title: 'rejects retry.multiplier below 1',
      build: withOptions({ retry: { multiplier: 0.5 } }),
      workflow: 'process-order',
      step: 'Charge',
      mentions: 'retry.multiplier',
    },
    {
      title: 'rejects retry.maxDelayMs below retry.initialDelayMs',
      build: withOptions({ retry: { initialDelayMs: 500, maxDelayMs: 100 } }),
      workflow: 'process-order',
      step: 'Charge',
      mentions: 'retry.maxDelayMs',
    },
    {
      title: 'rejects retry.jitter 2',
      build: withOptions({ retry: { jitter: 2 } }),
      workflow: 'process-order',
      step: 'Charge',
      mentions: 'retry.jitter',
    },
    {
      title: 'rejects a negative retry.jitter',
      build: withOptions({ retry: { jitter: -0.1 } }),
      workflow: 'process-order',
      step: 'Charge',
      mentions: 'retry.jitter',
    },
    {
      title: 'rejects a bad option given to then()',
      build: withThenOptions({ retry: { maxAttempts: 0 } }),
      workflow: 'process-order',
      step: 'ProcessPayment',
      mentions: 'retry.maxAttempts',
    },
    {
      title: 'rejects a bad timeout given to finally()',
      build: () => wf().startWith(ValidateOrder).finally(SendConfirmation, { timeoutMs: 0 }),
      workflow: 'process-order',
      step: 'SendConfirmation',
      mentions: 'timeoutMs',
    },
    {
      title: 'rejects then() options that put retry.maxDelayMs below the @Step retry.initialDelayMs',
      build: () =>
        wf()
          .startWith(stepNamed('Charge', { retry: { initialDelayMs: 500 } }), { retry: { maxDelayMs: 100 } })
          .finally(SendConfirmation),
      workflow: 'process-order',
      step: 'Charge',
      mentions: 'retry.maxDelayMs',
    },
    {
      title: 'rejects a bad @Step option on a compensation step',
      build: () =>
        wf()
          .startWith(ValidateOrder, { compensate: stepNamed('Undo', { timeoutMs: -1 }) })
          .finally(SendConfirmation),
      workflow: 'process-order',
      step: 'Undo',
      mentions: 'timeoutMs',
    },
  ],
  [DiagnosticCode.ReservedStepName]: [
    {
      title: "rejects a step class named 'Completed'",
      build: () => wf().startWith(ValidateOrder).finally(Completed),
      workflow: 'process-order',
      step: 'Completed',
      mentions: '@Step({ name })',
    },
    {
      title: "rejects @Step({ name: 'Failed' })",
      build: () => wf().startWith(stepNamed('Failed')).finally(SendConfirmation),
      workflow: 'process-order',
      step: 'Failed',
    },
    {
      title: "rejects a compensation named 'Compensating'",
      build: () =>
        wf()
          .startWith(ValidateOrder, { compensate: stepNamed('Compensating') })
          .finally(SendConfirmation),
      workflow: 'process-order',
      step: 'Compensating',
    },
    {
      title: "rejects an onFailure step named 'NotStarted'",
      build: () => wf().onFailure(stepNamed('NotStarted')).startWith(ValidateOrder).finally(SendConfirmation),
      workflow: 'process-order',
      step: 'NotStarted',
    },
  ],
  [DiagnosticCode.EmptyCase]: [
    {
      title: 'rejects a branch case that adds nothing',
      build: () =>
        wf()
          .startWith(ValidateOrder)
          .branch(() => 'a' as 'a' | 'b', { a: (b) => b.then(ProcessPayment), b: (b) => b })
          .finally(SendConfirmation),
      workflow: 'process-order',
      mentions: 'case b is empty',
    },
    {
      title: 'rejects a branch without cases',
      build: () =>
        wf()
          .startWith(ValidateOrder)
          .branch(() => 'a' as string, {} as { otherwise: never })
          .finally(SendConfirmation),
      workflow: 'process-order',
    },
    {
      title: 'rejects an empty onFailure chain',
      build: () =>
        wf()
          .startWith(ValidateOrder)
          .onFailure((f) => f)
          .finally(SendConfirmation),
      workflow: 'process-order',
      mentions: 'onFailure chain is empty',
    },
  ],
  [DiagnosticCode.EmptyLoopBody]: [
    {
      title: 'rejects a loop whose body adds nothing',
      build: () =>
        wf()
          .startWith(ValidateOrder)
          .repeatUntil(
            () => true,
            'retry-payment',
            (b) => b,
            { maxIterations: 3 },
          )
          .finally(SendConfirmation),
      workflow: 'process-order',
      mentions: 'loop retry-payment is empty',
    },
    {
      title: 'rejects a loop whose body only validates the state',
      build: () =>
        wf()
          .startWith(ValidateOrder)
          .repeatUntil(
            () => true,
            'retry-payment',
            (b) => b.validateState(() => true, 'OK', 'ok'),
            { maxIterations: 3 },
          )
          .finally(SendConfirmation),
      workflow: 'process-order',
      step: 'retry-payment',
    },
  ],
  [DiagnosticCode.InvalidMaxIterations]: [
    {
      title: 'rejects maxIterations 0',
      build: () =>
        wf()
          .startWith(ValidateOrder)
          .repeatUntil(
            () => true,
            'charge',
            (b) => b.then(ProcessPayment),
            { maxIterations: 0 },
          )
          .finally(SendConfirmation),
      workflow: 'process-order',
      step: 'charge',
      mentions: 'maxIterations of loop charge must be an integer of at least 1, got 0',
    },
    {
      title: 'rejects a fractional or missing maxIterations',
      build: () =>
        wf()
          .startWith(ValidateOrder)
          .repeatUntil(
            () => true,
            'charge',
            (b) => b.then(ProcessPayment),
            {} as { maxIterations: number },
          )
          .finally(SendConfirmation),
      workflow: 'process-order',
      step: 'charge',
    },
  ],
  [DiagnosticCode.NotAFunction]: [
    {
      title: 'rejects a guard that is not a function',
      build: () =>
        wf()
          .startWith(ValidateOrder)
          .validateState(true as unknown as () => boolean, 'AMOUNT', 'amount')
          .finally(SendConfirmation),
      workflow: 'process-order',
      mentions: 'validateState predicate (AMOUNT) is boolean, not a function',
    },
    {
      title: 'rejects a loop condition that is not a function',
      build: () =>
        wf()
          .startWith(ValidateOrder)
          .repeatUntil('done' as unknown as () => boolean, 'charge', (b) => b.then(ProcessPayment), { maxIterations: 2 })
          .finally(SendConfirmation),
      workflow: 'process-order',
      mentions: 'the condition of loop charge is string',
    },
    {
      title: 'rejects a branch discriminator that is not a function',
      build: () =>
        wf()
          .startWith(ValidateOrder)
          .branch(undefined as unknown as () => 'a', { a: (b) => b.then(ProcessPayment) })
          .finally(SendConfirmation),
      workflow: 'process-order',
      mentions: 'the branch discriminator is undefined',
    },
  ],
  [DiagnosticCode.UnreachableAfterEnd]: [
    {
      title: 'rejects a step after complete()',
      build: () =>
        wf()
          .startWith(ValidateOrder)
          .branch(() => 'a' as const, {
            a: (b) => (b.then(ProcessPayment).complete() as unknown as ReturnType<typeof b.then>).then(RefundPayment),
          })
          .finally(SendConfirmation),
      workflow: 'process-order',
      step: 'then()',
      mentions: 'unreachable',
    },
    {
      title: 'rejects a step after fail()',
      build: () =>
        wf()
          .startWith(ValidateOrder)
          .branch(() => 'a' as const, {
            a: (b) => (b.fail('NOPE', 'no') as unknown as ReturnType<typeof b.then>).then(RefundPayment),
          })
          .finally(SendConfirmation),
      workflow: 'process-order',
      step: 'then()',
      mentions: 'unreachable',
    },
  ],
  [DiagnosticCode.InvalidLoopName]: [
    {
      title: 'rejects a loop name that is not kebab-case',
      build: () =>
        wf()
          .startWith(ValidateOrder)
          .repeatUntil(
            () => true,
            'Charge Again',
            (b) => b.then(ProcessPayment),
            { maxIterations: 2 },
          )
          .finally(SendConfirmation),
      workflow: 'process-order',
      mentions: 'invalid loop name "Charge Again"',
    },
    {
      title: 'rejects two loops with one name',
      build: () =>
        wf()
          .startWith(ValidateOrder)
          .repeatUntil(
            () => true,
            'again',
            (b) => b.then(ProcessPayment),
            { maxIterations: 2 },
          )
          .repeatUntil(
            () => true,
            'again',
            (b) => b.then(RefundPayment),
            { maxIterations: 2 },
          )
          .finally(SendConfirmation),
      workflow: 'process-order',
      step: 'again',
    },
  ],
  [DiagnosticCode.InvalidFailureCode]: [
    {
      title: 'rejects validateState with an empty code',
      build: () =>
        wf()
          .startWith(ValidateOrder)
          .validateState(() => true, ' ', 'blank')
          .finally(SendConfirmation),
      workflow: 'process-order',
    },
    {
      title: 'rejects fail() without a code',
      build: () =>
        wf()
          .startWith(ValidateOrder)
          .branch(() => 'a' as const, { a: (b) => b.fail(undefined as unknown as string, 'no') })
          .finally(SendConfirmation),
      workflow: 'process-order',
    },
  ],
  [DiagnosticCode.InvalidForkPath]: [
    {
      title: 'rejects a fork with one path',
      build: () =>
        wf()
          .startWith(ValidateOrder)
          .fork((p) => p.then(ProcessPayment))
          .join(RefundPayment)
          .finally(SendConfirmation),
      workflow: 'process-order',
    },
    {
      title: 'rejects a fork path that ends the run',
      build: () =>
        wf()
          .startWith(ValidateOrder)
          .fork(
            (p) => p.then(ProcessPayment),
            (p) => p.fail('NO', 'no'),
          )
          .join(RefundPayment)
          .finally(SendConfirmation),
      workflow: 'process-order',
    },
    {
      title: 'rejects a fork path that completes the run inside the onTimeout of its wait',
      build: () =>
        wf()
          .startWith(ValidateOrder)
          .fork(
            (p) => p.then(ProcessPayment),
            (p) => p.awaitSignal('paid', { timeoutMs: 1_000, onTimeout: (t) => t.then(stepNamed('Late')).complete() }),
          )
          .join(RefundPayment)
          .finally(SendConfirmation),
      workflow: 'process-order',
      mentions: 'complete()',
    },
  ],
  [DiagnosticCode.InvalidSignalName]: [
    {
      title: 'rejects an upper-case signal name',
      build: () => wf().startWith(ValidateOrder).awaitSignal('Approval').finally(SendConfirmation),
      workflow: 'process-order',
      mentions: 'kebab-case',
    },
    {
      title: 'rejects an approval without a name',
      build: () =>
        wf()
          .startWith(ValidateOrder)
          .awaitApproval(undefined as unknown as string)
          .finally(SendConfirmation),
      workflow: 'process-order',
    },
  ],
  [DiagnosticCode.InvalidReducer]: [
    {
      title: 'rejects a reducer that is not a function',
      build: () =>
        Workflow.create<WorkflowState>('process-order', { reducers: { checks: 'append' } } as never)
          .startWith(ValidateOrder)
          .finally(SendConfirmation),
      workflow: 'process-order',
    },
  ],
  [DiagnosticCode.InvalidWaitOption]: [
    {
      title: 'rejects a negative signal timeout',
      build: () => wf().startWith(ValidateOrder).awaitSignal('paid', { timeoutMs: -1 }).finally(SendConfirmation),
      workflow: 'process-order',
      mentions: 'timeoutMs',
    },
    {
      title: 'rejects a sleep of a fraction of a millisecond',
      build: () => wf().startWith(ValidateOrder).sleep(0.5).finally(SendConfirmation),
      workflow: 'process-order',
      mentions: 'sleep()',
    },
    {
      title: 'rejects a deadline of zero',
      build: () => Workflow.create<WorkflowState>('process-order', { deadlineMs: 0 }).startWith(ValidateOrder).finally(SendConfirmation),
      workflow: 'process-order',
      mentions: 'deadlineMs',
    },
  ],
  [DiagnosticCode.DuplicateSignalName]: [
    {
      title: 'rejects two waits for one signal name',
      build: () => wf().startWith(ValidateOrder).awaitSignal('paid').awaitApproval('paid').finally(SendConfirmation),
      workflow: 'process-order',
      step: 'paid',
    },
  ],
};

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the definition to be rejected');
}

describe('definition diagnostics', () => {
  describe.each(Object.entries(cases))('%s', (code, codeCases) => {
    it.each(codeCases)('$title', ({ build, workflow, step, mentions }) => {
      const error = thrownBy(build);

      expect(error).toBeInstanceOf(WorkflowDefinitionError);
      expect(error).toMatchObject({ name: 'WorkflowDefinitionError', code, workflow, step });
      const { message } = error as WorkflowDefinitionError;
      expect(message.startsWith(`${code} ${workflow}`)).toBe(true);
      if (step) expect(message).toContain(` / ${step}`);
      if (mentions !== undefined) expect(message).toContain(mentions);
    });
  });

  it('accepts a step whose name is valid but differs in case from a phase', () => {
    expect(() => wf().startWith(ValidateOrder).finally(stepNamed('completed'))).not.toThrow();
  });

  it('accepts retry.jitter 0 and 1, retry.maxAttempts 1 and delays of 0', () => {
    expect(() => withOptions({ retry: { jitter: 0, maxAttempts: 1, initialDelayMs: 0, maxDelayMs: 0, multiplier: 1 } })()).not.toThrow();
    expect(() => withOptions({ retry: { jitter: 1 } })()).not.toThrow();
  });

  it('accepts a workflow name of 63 characters and a step name of 63 characters', () => {
    expect(() =>
      wf(`a${'-b'.repeat(31)}`)
        .startWith(ValidateOrder)
        .finally(stepNamed(`S${'x'.repeat(62)}`)),
    ).not.toThrow();
  });
});
