import { formatTable } from './text-table';

describe('formatTable', () => {
  const columns = [
    { header: 'id', value: (row: { id: string; note: string }) => row.id },
    { header: 'note', value: (row: { id: string; note: string }) => row.note, maxWidth: 8 },
  ];

  it('aligns columns under upper-cased headers, with no trailing spaces', () => {
    expect(
      formatTable(columns, [
        { id: 'a-long-id', note: 'ok' },
        { id: 'b', note: '' },
      ]),
    ).toBe('ID         NOTE\na-long-id  ok\nb\n');
  });

  it('cuts values over the column width with an ellipsis, and flattens line breaks', () => {
    expect(formatTable(columns, [{ id: 'x', note: 'one\ntwo three four' }])).toBe('ID  NOTE\nx   one two…\n');
  });

  it('prints only the header for no rows', () => {
    expect(formatTable(columns, [])).toBe('ID  NOTE\n');
  });
});
