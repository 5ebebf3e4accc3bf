/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { wardenApi } from '../helpers';

describe('activation', () => {
  it('activates in a trusted multi-root workspace and reports its start-up time', async () => {
    const api = await wardenApi();
    assert.equal(vscode.workspace.isTrusted, true);
    assert.equal(vscode.workspace.workspaceFolders?.length, 2);
    assert.ok(api.activationMs >= 0);
    console.log(`MCPW-METRIC activationMs=${api.activationMs}`);
  });
});
