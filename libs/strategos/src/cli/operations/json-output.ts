import type { CliIo } from '../cli-command.interface';

/** Writes `value` as the one JSON document of a `--json` command (dates as ISO-8601 strings). */
export function writeJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
