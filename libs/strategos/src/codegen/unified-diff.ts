/** Options of {@link unifiedDiff}. */
export interface UnifiedDiffOptions {
  /** The label of the old text on the `---` line. */
  readonly oldLabel: string;
  /** The label of the new text on the `+++` line. */
  readonly newLabel: string;
  /** Unchanged lines shown around each change. @default 3 */
  readonly context?: number;
  /** Lines of hunks shown at most; the rest is summarised in one line. @default 80 */
  readonly maxLines?: number;
}

type Edit = { readonly kind: ' ' | '-' | '+'; readonly line: string; readonly oldLine: number; readonly newLine: number };

/** The line edits that turn `before` into `after`: common prefix and suffix, then a longest common subsequence of the rest. */
function lineEdits(before: readonly string[], after: readonly string[]): Edit[] {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end])
    end++;
  const a = before.slice(start, before.length - end);
  const b = after.slice(start, after.length - end);
  // lengths[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const lengths = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--)
      lengths[i][j] = a[i] === b[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
  }
  const edits: Edit[] = before.slice(0, start).map((line, index) => ({ kind: ' ', line, oldLine: index, newLine: index }));
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) edits.push({ kind: ' ', line: a[i], oldLine: start + i++, newLine: start + j++ });
    else if (j < b.length && (i === a.length || lengths[i][j + 1] > lengths[i + 1][j]))
      edits.push({ kind: '+', line: b[j], oldLine: start + i, newLine: start + j++ });
    else edits.push({ kind: '-', line: a[i], oldLine: start + i++, newLine: start + j });
  }
  for (let k = 0; k < end; k++)
    edits.push({ kind: ' ', line: before[before.length - end + k], oldLine: before.length - end + k, newLine: after.length - end + k });
  return edits;
}

/** Groups changed lines with `context` unchanged lines around them into hunks; hunks whose context overlaps merge. */
function hunks(edits: readonly Edit[], context: number): Edit[][] {
  const ranges: [start: number, end: number][] = [];
  edits.forEach((edit, index) => {
    if (edit.kind === ' ') return;
    const start = Math.max(0, index - context);
    const end = Math.min(edits.length, index + context + 1);
    const last = ranges[ranges.length - 1];
    if (last && start <= last[1]) last[1] = end;
    else ranges.push([start, end]);
  });
  return ranges.map(([start, end]) => edits.slice(start, end));
}

function hunkHeader(hunk: readonly Edit[]): string {
  const oldCount = hunk.filter((edit) => edit.kind !== '+').length;
  const newCount = hunk.filter((edit) => edit.kind !== '-').length;
  return `@@ -${hunk[0].oldLine + (oldCount > 0 ? 1 : 0)},${oldCount} +${hunk[0].newLine + (newCount > 0 ? 1 : 0)},${newCount} @@`;
}

/**
 * A unified diff of two texts (`---`/`+++` header, `@@` hunks with context), cut short after `maxLines`
 * lines; empty when the texts are equal.
 */
export function unifiedDiff(before: string, after: string, options: UnifiedDiffOptions): string {
  if (before === after) return '';
  const { context = 3, maxLines = 80 } = options;
  const lines = [`--- ${options.oldLabel}`, `+++ ${options.newLabel}`];
  for (const hunk of hunks(lineEdits(before.split('\n'), after.split('\n')), context)) {
    lines.push(hunkHeader(hunk), ...hunk.map((edit) => `${edit.kind}${edit.line}`));
  }
  if (lines.length - 2 <= maxLines) return lines.join('\n');
  return [...lines.slice(0, maxLines + 2), `... ${lines.length - 2 - maxLines} more diff lines`].join('\n');
}
