/**
 * Labelled values, one per line with the values aligned; fields whose value is undefined are left out.
 * @example
 * formatFields([['status', 'failed'], ['completedAt', undefined], ['error', 'NO_CARRIER at Ship']]);
 * // status  failed
 * // error   NO_CARRIER at Ship
 */
export function formatFields(fields: readonly (readonly [label: string, value: string | undefined])[]): string {
  const shown = fields.filter((field): field is readonly [string, string] => field[1] !== undefined);
  const width = Math.max(0, ...shown.map(([label]) => label.length));
  return shown.map(([label, value]) => `${label.padEnd(width)}  ${value}`.trimEnd()).join('\n') + '\n';
}
