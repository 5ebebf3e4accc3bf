/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { wardenApi } from '../helpers';

describe('untrusted workspace', () => {
  it('is not trusted', async () => {
    await wardenApi();
    assert.equal(vscode.workspace.isTrusted, false);
  });
});
