import type { BenchNames } from './bench-names';
import type { BenchOptions } from './bench-options';
import type { FloorResult } from './floor/floor-run';
import type { FrameworkResult } from './framework/framework-run';
import { frameworkTuning, overriddenOptions } from './framework/framework-tuning';
import { roundedLoad, type MachineInfo } from './machine-info';
import type { SourceInfo } from './source-info';

/** Everything one bench run measured. */
export interface BenchRun {
  readonly options: BenchOptions;
  readonly names: BenchNames;
  readonly machine: MachineInfo;
  readonly source: SourceInfo;
  readonly framework: FrameworkResult;
  readonly floor: FloorResult | null;
  readonly floorBatched: FloorResult | null;
}

/**
 * The result JSON: the headline numbers first (framework throughput, latencies, peak RSS, the floor and the
 * ratio), then the settings, the machine and each run's details.
 */
export function benchReport(run: BenchRun) {
  const { options, framework, floor, floorBatched } = run;
  return {
    workflows: options.workflows,
    stepsPerWorkflow: framework.stepsPerWorkflow,
    workflowsPerSec: framework.workflowsPerSec,
    stepsPerSec: framework.stepsPerSec,
    stepLatencyMs: framework.stepLatencyMs,
    endToEndLatencyMs: framework.endToEndLatencyMs,
    workerPeakRssMb: framework.workerPeakRssMb,
    cpuMsPerStep: framework.cpuMsPerStep,
    floorStepsPerSec: floor?.stepsPerSec ?? null,
    floorCpuMsPerStep: floor?.cpuMsPerStep ?? null,
    ratio: ratio(framework.stepsPerSec, floor?.stepsPerSec),
    floorBatchedStepsPerSec: floorBatched?.stepsPerSec ?? null,
    ratioToBatchedFloor: ratio(framework.stepsPerSec, floorBatched?.stepsPerSec),
    settings: {
      ...framework.settings,
      startChunkSize: options.startChunkSize,
      pollIntervalMs: options.pollIntervalMs,
      floorBatchSize: options.floorBatchSize,
      overridden: overriddenOptions(frameworkTuning(options)),
    },
    machine: { ...run.machine, loadAverageAtEnd: roundedLoad() },
    source: run.source,
    framework,
    floor,
    floorBatched,
    namespace: run.names.namespace,
    schema: run.names.schema,
  };
}

function ratio(framework: number, floor: number | undefined): number | null {
  return floor === undefined || floor === 0 ? null : Math.round((framework / floor) * 1000) / 1000;
}
