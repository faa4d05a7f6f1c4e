import { unifiedDiff } from './unified-diff';

const labels = { oldLabel: 'a.ts (on disk)', newLabel: 'a.ts (generated)' };
const numbered = (count: number): string[] => Array.from({ length: count }, (_unused, index) => `line ${index + 1}`);

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', labels)).toBe('');
  });

  it('shows an inserted line with three lines of context and line numbers', () => {
    const before = numbered(10);
    const after = [...before.slice(0, 5), 'inserted', ...before.slice(5)];
    expect(unifiedDiff(before.join('\n'), after.join('\n'), labels)).toBe(
      [
        '--- a.ts (on disk)',
        '+++ a.ts (generated)',
        '@@ -3,6 +3,7 @@',
        ' line 3',
        ' line 4',
        ' line 5',
        '+inserted',
        ' line 6',
        ' line 7',
        ' line 8',
      ].join('\n'),
    );
  });

  it('shows a changed line as a removal and an addition', () => {
    expect(unifiedDiff('a\nb\nc', 'a\nB\nc', labels).split('\n').slice(2)).toEqual(['@@ -1,3 +1,3 @@', ' a', '-b', '+B', ' c']);
  });

  it('makes separate hunks of changes far apart and merges close ones', () => {
    const before = numbered(40);
    const after = before.map((line, index) => ([5, 8, 30].includes(index) ? `${line} changed` : line));
    const headers = unifiedDiff(before.join('\n'), after.join('\n'), labels)
      .split('\n')
      .filter((line) => line.startsWith('@@'));
    expect(headers).toEqual(['@@ -3,10 +3,10 @@', '@@ -28,7 +28,7 @@']);
  });

  it('cuts a long diff short and says how much is left out', () => {
    const diff = unifiedDiff(numbered(100).join('\n'), numbered(100).reverse().join('\n'), { ...labels, maxLines: 10 });
    const lines = diff.split('\n');
    expect(lines).toHaveLength(13);
    expect(lines[12]).toMatch(/^\.\.\. \d+ more diff lines$/);
  });
});
