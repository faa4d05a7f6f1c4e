/**
 * A one-line summary of an event's data for a table: `key=value` pairs in the data's order, strings
 * bare unless they contain spaces (then JSON-quoted), objects and arrays as compact JSON, cut with `…`
 * at `maxLength`.
 * @example summariseData({ from: 'Reserve', to: 'Charge' }) // 'from=Reserve to=Charge'
 */
export function summariseData(data: Readonly<Record<string, unknown>>, maxLength = 100): string {
  const text = Object.entries(data)
    .map(([key, value]) => `${key}=${formatValue(value)}`)
    .join(' ');
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return value.length > 0 && !/[\s"=]/.test(value) ? value : JSON.stringify(value);
  if (value === undefined) return 'undefined';
  return JSON.stringify(value) ?? String(value);
}
