import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Reducers } from '../src/definition/reducers';
import { Workflow } from '../src/definition/workflow';
import type { TransitionWrite, WriteResult } from '../src/persistence/workflow-store.interface';
import type { WorkflowState } from '../src/state/workflow-state.interface';
import { StepResult } from '../src/step/step-result';
import { Step } from '../src/step/step.decorator';
import type { WorkflowStep } from '../src/step/workflow-step.interface';
import { StrategosTestHarness } from '../src/testing/strategos-test-harness';
import type { OutgoingMessage } from '../src/transport/transport.interface';
import { stepCompletionCounts } from './support/history-assertions';

interface CheckState extends WorkflowState {
  readonly checks?: string[];
}

function check(name: string) {
  @Injectable()
  @Step({ name })
  class Check implements WorkflowStep<CheckState> {
    execute(): StepResult<CheckState> {
      return StepResult.ok({ checks: [name] });
    }
  }
  return Check;
}

/** Intake issues two commands in one transition (the fork's paths); Decide one. */
const checks = Workflow.create<CheckState>('lost-reply-checks', { reducers: { checks: Reducers.append } })
  .startWith(check('Intake'))
  .fork(
    (p) => p.then(check('Fraud')),
    (p) => p.then(check('Credit')),
  )
  .join(check('Decide'))
  .finally(check('Letter'));

const EXACTLY_ONCE = { Intake: 1, Fraud: 1, Credit: 1, Decide: 1, Letter: 1 };

function connectionLost(): Error {
  return Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
}

describe('commands without an outbox row', () => {
  let harness: StrategosTestHarness;

  beforeEach(async () => {
    harness = await StrategosTestHarness.create({
      workflows: [checks],
      options: { storeRetry: { initialDelayMs: 5, maxDelayMs: 20, maxHoldMs: 10_000 } },
      logger: false,
    });
  });

  afterEach(() => harness.close());

  it('are published again when the commit applied but its reply was lost (the retry finds it applied)', async () => {
    const store = harness.store;
    const commit = store.commit.bind(store);
    const lost: TransitionWrite[] = [];
    const retried: WriteResult[] = [];
    // One write per instance and version: a retried commit has the same.
    const sameWrite = (a: TransitionWrite, b: TransitionWrite) =>
      a.transition.instance.workflowId === b.transition.instance.workflowId && a.expectedVersion === b.expectedVersion;
    // The commit that issues the fork's two commands, and Decide's commit: applied, then the reply is lost.
    store.commit = async (writes: readonly TransitionWrite[]): Promise<WriteResult[]> => {
      const results = await commit(writes);
      writes.forEach((write, index) => {
        if (lost.some((victim) => sameWrite(victim, write))) retried.push(results[index]);
      });
      const victim = writes.find((write) => write.transition.commands.length === 2 || write.transition.instance.phase === 'Letter');
      if (victim && !lost.some((write) => sameWrite(write, victim))) {
        lost.push(victim);
        throw connectionLost();
      }
      return results;
    };

    const { workflowId } = await harness.starter.start(checks, { workflowId: randomUUID() });
    const view = await harness.query.waitFor(workflowId, { timeoutMs: 10_000 });

    expect(view.status).toBe('completed');
    expect(lost).toHaveLength(2);
    // Step commands' commits record no inbox entry: the retried commit fails the version guard, which tells it applied.
    expect(lost.map((write) => write.inboxMessageId)).toEqual([null, null]);
    expect(retried).toEqual(['conflict', 'conflict']);
    // The lost commits sent their step commands without an outbox row (events only, this store has no event log):
    // only the republish after the retry's `conflict` sent them.
    expect(lost.map((write) => write.outbox.filter((row) => row.type.startsWith('Execute')).length)).toEqual([0, 0]);
    expect(await stepCompletionCounts(harness.query, workflowId)).toEqual(EXACTLY_ONCE);
  });

  it('are published once the broker is back when the publish after the commit failed; the command is held, never dead-lettered', async () => {
    const transport = harness.transport;
    const publish = transport.publish.bind(transport);
    let failures = 0;
    // The broker refuses the fork's commands three times (an outage), then takes them.
    transport.publish = async (messages: readonly OutgoingMessage[]): Promise<void> => {
      if (messages.some((message) => message.type === 'ExecuteFraudCommand') && failures < 3) {
        failures += 1;
        throw Object.assign(new Error('connection to the broker lost'), { code: 'CONNECTION_LOST' });
      }
      return publish(messages);
    };

    const { workflowId } = await harness.starter.start(checks, { workflowId: randomUUID() });
    const view = await harness.query.waitFor(workflowId, { timeoutMs: 10_000 });

    expect(view.status).toBe('completed');
    expect(failures).toBe(3);
    expect(await stepCompletionCounts(harness.query, workflowId)).toEqual(EXACTLY_ONCE);
    expect((await harness.deadLetters.list()).length).toBe(0);
  });
});
