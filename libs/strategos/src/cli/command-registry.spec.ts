import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverCommands } from './command-registry';

describe('discoverCommands', () => {
  it('finds the generate and diagram commands in cli/commands, sorted by name', () => {
    const names = discoverCommands().map((command) => command.name);
    expect(names).toEqual(expect.arrayContaining(['diagram', 'generate']));
    expect(names).toEqual([...names].sort());
  });

  describe('in a directory of its own', () => {
    let directory: string;

    beforeEach(() => {
      directory = mkdtempSync(join(tmpdir(), 'strategos-cli-'));
    });

    afterEach(() => rmSync(directory, { recursive: true, force: true }));

    const command = (name: string) => `exports.${name}Command = { name: '${name}', summary: 's', usage: 'u', run: () => 0 };\n`;

    it('picks up a subcommand from one new <name>.command file, and ignores other files', () => {
      writeFileSync(join(directory, 'status.command.js'), command('status'));
      writeFileSync(join(directory, 'status.command.d.ts'), 'export {};\n');
      writeFileSync(join(directory, 'helpers.js'), command('helper'));
      writeFileSync(join(directory, 'list.command.js'), `${command('list')}exports.notACommand = { name: 'x' };\n`);
      expect(discoverCommands(directory).map((found) => found.name)).toEqual(['list', 'status']);
    });

    it('refuses two subcommands of the same name', () => {
      writeFileSync(join(directory, 'a.command.js'), command('status'));
      writeFileSync(join(directory, 'b.command.js'), command('status'));
      expect(() => discoverCommands(directory)).toThrow('Two subcommands are named status');
    });
  });
});
