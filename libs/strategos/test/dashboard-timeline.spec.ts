import { randomUUID } from 'node:crypto';
import { StrategosTestHarness } from '@strategos/nestjs';
import { buildTimeline, groupTimeline, type TimelineBlock } from '../dashboard-ui/src/timeline';
import type { HistoryEntry } from '../dashboard-ui/src/types';
import { forkedSaga, SCRIPTED_PROVIDERS, type ScriptedState } from './fixtures/scripted-workflow';

/** The dashboard's timeline of a run that forks: the engine's real history, grouped as the run page shows it. */
describe("Dashboard timeline of a fork's paths", () => {
  let harness: StrategosTestHarness;

  beforeAll(async () => {
    harness = await StrategosTestHarness.create({ workflows: [forkedSaga], providers: [...SCRIPTED_PROVIDERS] });
  });

  afterAll(async () => {
    await harness?.close();
  });

  async function blocksOf(script: ScriptedState['script']): Promise<TimelineBlock[]> {
    const { workflowId } = await harness.starter.start(forkedSaga, { workflowId: randomUUID(), script });
    await harness.query.waitFor(workflowId);
    // As the API sends it: timestamps as ISO strings.
    const history: HistoryEntry[] = (await harness.query.history(workflowId)).map((entry) => ({
      ...entry,
      timestamp: entry.timestamp.toISOString(),
    }));
    return groupTimeline(buildTimeline(history));
  }

  const titles = (block: TimelineBlock | undefined) =>
    block?.kind === 'fork' ? block.lanes.map((lane) => [lane.path, lane.items.map((item) => item.kind)]) : [];

  it("puts each path's steps in a lane of their own, between the step before the fork and the join", async () => {
    const blocks = await blocksOf({ PathA: { sleepMs: 20 } });
    const forks = blocks.filter((block) => block.kind === 'fork');
    expect(forks).toHaveLength(1);
    expect(titles(forks[0])).toEqual([
      ['fork#1.1', ['PhaseChanged', 'StepCompleted']],
      ['fork#1.2', ['PhaseChanged', 'StepCompleted']],
    ]);
    const fork = forks[0] as Extract<TimelineBlock, { kind: 'fork' }>;
    expect(fork.lanes[0].items[0].title).toBe('→ PathA');
    expect(fork.lanes[1].items[1]).toMatchObject({ title: 'PathB completed', path: 'fork#1.2', durationMs: expect.any(Number) });
    // The main path around it: Reserve before the fork, the join and the rest after it, none of them in a lane.
    const index = blocks.indexOf(fork);
    const before = blocks.slice(0, index).map((block) => (block.kind === 'item' ? block.item.title : 'fork'));
    const after = blocks.slice(index + 1).map((block) => (block.kind === 'item' ? block.item.title : 'fork'));
    expect(before).toEqual(expect.arrayContaining(['Started', 'Reserve completed']));
    expect(after[0]).toMatch(/→ Join/);
    expect(after).toContain('Completed');
  });

  it("shows a failing path's failure in its lane, and the compensation after the fork", async () => {
    const blocks = await blocksOf({ PathB: { failCode: 'PATH_B_REFUSED' } });
    const fork = blocks.find((block) => block.kind === 'fork') as Extract<TimelineBlock, { kind: 'fork' }>;
    const laneB = fork.lanes.find((lane) => lane.path === 'fork#1.2')!;
    expect(laneB.items.find((item) => item.kind === 'StepFailed')).toMatchObject({
      tone: 'error',
      detail: expect.stringContaining('PATH_B_REFUSED'),
    });
    const after = blocks.slice(blocks.indexOf(fork) + 1).map((block) => (block.kind === 'item' ? block.item.kind : 'fork'));
    expect(after).toContain('Compensating');
  });
});
