/** One column of {@link formatTable}. */
export interface TableColumn<T> {
  /** Shown upper-cased in the header line. */
  readonly header: string;
  readonly value: (row: T) => string;
  /** Longer values are cut with `…`; ids should have none, so that they can be copied. @default no limit */
  readonly maxWidth?: number;
}

/**
 * Rows as a table for a terminal: a header line, then one line per row, columns aligned with two spaces
 * between them and no trailing spaces. Line breaks inside values are shown as spaces.
 * @example
 * formatTable([{ header: 'id', value: (r) => r.id }, { header: 'status', value: (r) => r.status }], rows);
 * // ID  STATUS
 * // a1  failed
 */
export function formatTable<T>(columns: readonly TableColumn<T>[], rows: readonly T[]): string {
  const cells = rows.map((row) => columns.map((column) => fit(column.value(row), column.maxWidth)));
  const headers = columns.map((column) => column.header.toUpperCase());
  const widths = headers.map((header, index) => Math.max(header.length, ...cells.map((line) => line[index].length)));
  const render = (line: readonly string[]) =>
    line
      .map((cell, index) => cell.padEnd(widths[index]))
      .join('  ')
      .trimEnd();
  return [render(headers), ...cells.map(render)].join('\n') + '\n';
}

function fit(value: string, maxWidth: number | undefined): string {
  const flat = value.replace(/\s*[\r\n]+\s*/g, ' ');
  return maxWidth !== undefined && flat.length > maxWidth ? `${flat.slice(0, Math.max(0, maxWidth - 1))}…` : flat;
}
