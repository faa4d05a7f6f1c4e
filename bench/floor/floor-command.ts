import type { ConfirmChannel } from 'amqplib';

/** The command of one floor step: which workflow, which step (1..4), and the state version it expects. */
export interface FloorCommand {
  readonly workflowId: string;
  readonly step: number;
  readonly expectedVersion: number;
}

/** The queue of step `step` (1-based) under `prefix`. */
export function floorQueueName(prefix: string, step: number): string {
  return `${prefix}.step-${step}`;
}

/** The message id of a command: one per workflow and step, so that a redelivery is recognised. */
export function floorMessageId(command: FloorCommand): string {
  return `${command.workflowId}:${command.step}`;
}

/** The command that follows `command` in a workflow of `steps` steps, or null after the last one. */
export function nextFloorCommand(command: FloorCommand, steps: number): FloorCommand | null {
  return command.step >= steps
    ? null
    : { workflowId: command.workflowId, step: command.step + 1, expectedVersion: command.expectedVersion + 1 };
}

/** Parses a received body. @throws Error when it is not a floor command. */
export function decodeFloorCommand(content: Buffer): FloorCommand {
  const value = JSON.parse(content.toString('utf8')) as Partial<FloorCommand>;
  if (typeof value.workflowId !== 'string' || typeof value.step !== 'number' || typeof value.expectedVersion !== 'number') {
    throw new Error(`not a floor command: ${content.toString('utf8').slice(0, 200)}`);
  }
  return { workflowId: value.workflowId, step: value.step, expectedVersion: value.expectedVersion };
}

/** Publishes `command` persistently to its step's queue; the promise settles with the broker's confirm. */
export function publishFloorCommand(channel: ConfirmChannel, prefix: string, command: FloorCommand): Promise<void> {
  return new Promise((resolve, reject) => {
    const content = Buffer.from(JSON.stringify(command), 'utf8');
    const options = { persistent: true, mandatory: true, contentType: 'application/json', messageId: floorMessageId(command) };
    channel.publish('', floorQueueName(prefix, command.step), content, options, (error: unknown) =>
      error ? reject(new Error(`publish of ${floorMessageId(command)} was nacked`)) : resolve(),
    );
  });
}
