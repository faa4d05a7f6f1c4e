import { MIGRATIONS } from './migrations';
import { commitStatementSql } from './commit-statement';
import { storeQueries } from './store-queries';

describe('store SQL', () => {
  const texts = [
    commitStatementSql('select'),
    ...Object.values(storeQueries('select')),
    ...MIGRATIONS.map((migration) => migration.sql('select')),
  ];

  it('quotes the schema wherever it names a table, so that a keyword works as a schema', () => {
    for (const text of texts) {
      expect(text).toContain('"select".');
      expect(text.replace(/"select"\./g, '')).not.toMatch(/\bselect\./i);
    }
  });

  it('passes every value of a commit as a parameter', () => {
    const sql = commitStatementSql('strategos');
    expect(new Set(sql.match(/\$\d+/g))).toEqual(new Set(['$1', '$2', '$3', '$4', '$5', '$6', '$7']));
    // The only literals are the results it returns and the status it does not notify.
    expect(new Set(sql.match(/'[^']*'/g))).toEqual(new Set(["'committed'", "'duplicate'", "'conflict'", "'running'"]));
  });
});
