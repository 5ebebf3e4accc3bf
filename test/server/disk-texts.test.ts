import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { DiskTexts } from '../../src/server/disk-texts';

describe('DiskTexts (the language server host\'s reads from disk)', () => {
  test('a file is read again once its size or modification time changes, and missing files and folders read as nothing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpw-disk-'));
    try {
      const file = path.join(dir, 'helper.ts');
      const texts = new DiskTexts();
      assert.equal(texts.read(file), undefined);
      fs.writeFileSync(file, 'export const a = 1;\n');
      assert.equal(texts.read(file), 'export const a = 1;\n');
      // Same size, later modification time.
      fs.writeFileSync(file, 'export const b = 2;\n');
      const later = new Date(Date.now() + 5_000);
      fs.utimesSync(file, later, later);
      assert.equal(texts.read(file), 'export const b = 2;\n');
      // Another size, the same modification time.
      fs.writeFileSync(file, 'export const c = 30;\n');
      fs.utimesSync(file, later, later);
      assert.equal(texts.read(file), 'export const c = 30;\n');
      // Unchanged: the kept text, equal to the file's.
      assert.equal(texts.read(file), fs.readFileSync(file, 'utf8'));
      fs.rmSync(file);
      assert.equal(texts.read(file), undefined);
      assert.equal(texts.read(dir), undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
