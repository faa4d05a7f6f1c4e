import type { BenchNames } from './bench-names';
import type { BenchOptions } from './bench-options';
import type { BullmqResult } from './bullmq/bullmq-run';
import type { FloorResult } from './floor/floor-run';
import type { FrameworkResult } from './framework/framework-run';
import { frameworkTuning, overriddenOptions } from './framework/framework-tuning';
import { roundedLoad, type MachineInfo } from './machine-info';
import type { SourceInfo } from './source-info';

/** One interleaved round: the framework, then the floors and BullMQ, one after the other. */
export interface BenchRound {
  readonly names: BenchNames;
  readonly framework: FrameworkResult;
  readonly floor: FloorResult | null;
  readonly floorBatched: FloorResult | null;
  readonly bullmq: BullmqResult | null;
}

/** The open-loop framework run (`--rate`, `--rate-of-peak`). */
export interface RateRun {
  readonly ratePerSec: number;
  readonly fractionOfPeak: number;
  readonly peakWorkflowsPerSec: number;
  readonly names: BenchNames;
  readonly framework: FrameworkResult;
}

/** Everything one bench run measured. */
export interface BenchRun {
  readonly options: BenchOptions;
  readonly machine: MachineInfo;
  readonly source: SourceInfo;
  readonly rounds: readonly BenchRound[];
  readonly rateRun: RateRun | null;
  readonly bullmqSkipped: boolean;
}

/**
 * The result JSON: the headline first (per round: steps/s of each system, the framework's ratios to the
 * floors and BullMQ, CPU per step by process; the open-loop latencies), then the settings, the machine
 * and every run's details.
 */
export function benchReport(run: BenchRun) {
  const { options, rounds, rateRun } = run;
  const first = rounds[0].framework;
  return {
    label: options.label,
    workflows: options.workflows,
    stepsPerWorkflow: first.stepsPerWorkflow,
    rounds: rounds.map((round) => ({
      stepsPerSec: {
        strategos: round.framework.stepsPerSec,
        floorPerMessage: round.floor?.stepsPerSec ?? null,
        floorBatched: round.floorBatched?.stepsPerSec ?? null,
        bullmqAof: round.bullmq?.stepsPerSec ?? null,
      },
      ratio: {
        toFloorPerMessage: ratio(round.framework.stepsPerSec, round.floor?.stepsPerSec),
        toFloorBatched: ratio(round.framework.stepsPerSec, round.floorBatched?.stepsPerSec),
        toBullmqAof: ratio(round.framework.stepsPerSec, round.bullmq?.stepsPerSec),
      },
      cpuMsPerStep: {
        strategos: round.framework.cpuMsPerStep,
        floorPerMessage: round.floor?.cpuMsPerStep ?? null,
        floorBatched: round.floorBatched?.cpuMsPerStep ?? null,
        bullmqAof: round.bullmq?.cpuMsPerStep ?? null,
      },
      strategosLatencyMs: { step: round.framework.stepLatencyMs, endToEnd: round.framework.endToEndLatencyMs },
    })),
    atRate: rateRun && {
      ratePerSec: rateRun.ratePerSec,
      fractionOfPeak: rateRun.fractionOfPeak,
      peakWorkflowsPerSec: rateRun.peakWorkflowsPerSec,
      workflows: rateRun.framework.completed,
      stepLatencyMs: rateRun.framework.stepLatencyMs,
      endToEndLatencyMs: rateRun.framework.endToEndLatencyMs,
      cpuMsPerStep: rateRun.framework.cpuMsPerStep,
    },
    tableSizesAfterRun: {
      strategos: first.tableSizes,
      floorPerMessage: rounds[0].floor?.tableSizes ?? null,
      floorBatched: rounds[0].floorBatched?.tableSizes ?? null,
    },
    bullmq: run.bullmqSkipped
      ? `skipped: no Redis answered at ${options.redisUrl}`
      : (rounds[0].bullmq?.redis.note ?? 'not run (--no-bullmq)'),
    settings: {
      ...first.settings,
      startChunkSize: options.startChunkSize,
      preload: options.preload,
      workflowIds: options.workflowIds,
      pollIntervalMs: options.pollIntervalMs,
      floorBatchSize: options.floorBatchSize,
      overridden: overriddenOptions(frameworkTuning(options)),
    },
    machine: { ...run.machine, loadAverageAtEnd: roundedLoad() },
    source: run.source,
    details: rounds,
    atRateDetails: rateRun,
  };
}

function ratio(framework: number, other: number | undefined): number | null {
  return other === undefined || other === 0 ? null : Math.round((framework / other) * 1000) / 1000;
}
