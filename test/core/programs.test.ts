import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OPTION_PARSING_PROGRAMS, remoteCommand } from '../../src/core/mcp/programs';

const start = (program: string, words: (string | undefined)[]) => remoteCommand(program, words)?.start;

describe('remote shell command lines (src/core/mcp/programs.ts)', () => {
  test('adb: the words after the shell subcommand, past the options before it', () => {
    assert.equal(start('adb', ['shell', 'ls', undefined]), 1);
    assert.equal(start('adb', ['-s', undefined, 'shell', 'ls']), 3);
    assert.equal(start('adb', ['-d', '-H', 'host', 'shell', undefined]), 4);
    assert.equal(remoteCommand('adb', ['shell', 'ls'])?.where, 'the device');
  });
  test('adb: other subcommands, an unknown word before the subcommand, or nothing after shell', () => {
    assert.equal(start('adb', ['pull', undefined, '/tmp/x']), undefined);
    assert.equal(start('adb', [undefined, 'shell', 'ls']), undefined);
    assert.equal(start('adb', ['-s', 'emulator-5554', 'shell']), undefined);
  });
  test('ssh: the words after the destination; option values, glued flags and -- are skipped', () => {
    assert.equal(start('ssh', ['host', 'uptime']), 1);
    assert.equal(start('ssh', ['-p', '22', 'host', 'ls', undefined]), 3);
    assert.equal(start('ssh', ['-tp', '22', undefined, 'ls']), 3);
    assert.equal(start('ssh', ['-p22', '-T', 'host', 'ls']), 3);
    assert.equal(start('ssh', ['-o', 'BatchMode=yes', '-i', '/k', 'host', 'ls']), 5);
    assert.equal(start('ssh', ['-T', '--', 'host', 'ls']), 3);
    assert.equal(remoteCommand('ssh', ['host', 'ls'])?.where, 'the remote host');
  });
  test('ssh: no command line without words after the destination; other programs have none', () => {
    assert.equal(start('ssh', ['-T', 'host']), undefined);
    assert.equal(start('git', ['clone', undefined]), undefined);
    assert.equal(start('kubectl', ['exec', 'pod', '--', 'sh']), undefined);
  });
  test('one list of option-parsing programs holds both engines\' programs', () => {
    for (const p of ['git', 'kubectl', 'ssh', 'adb', 'xcrun', 'jq', 'make', 'rm', 'taskwarrior']) assert.ok(OPTION_PARSING_PROGRAMS.has(p), p);
    assert.ok(!OPTION_PARSING_PROGRAMS.has('ls'));
  });
});
