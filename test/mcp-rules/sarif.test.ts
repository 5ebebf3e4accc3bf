import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sarifRule } from '../../src/cli/formats/sarif';
import { ruleById } from '../../src/rules';

const MCP_RULES: Readonly<Record<string, readonly number[]>> = {
  'no-code-injection': [94],
  'no-hardcoded-secret': [798],
  'no-secret-in-logs': [532],
  'no-secret-in-tool-output': [209, 200],
  'no-ssrf': [918],
  'no-stdout-in-stdio-server': [116],
  'no-token-passthrough': [441, 598],
  'no-tool-description-poisoning': [1427, 74],
  'require-http-auth': [306],
  'require-origin-validation': [346, 1385],
  'require-secure-session-id': [330],
};

test('every MCP rule is registered and described in SARIF with its CWE tags and docs link', () => {
  for (const [id, cwes] of Object.entries(MCP_RULES)) {
    const rule = ruleById(id);
    assert.ok(rule, `${id} is registered`);
    const d = sarifRule(rule) as { helpUri: string; properties: { tags: string[] } };
    assert.ok(d.properties.tags.includes('security'), id);
    for (const n of cwes) assert.ok(d.properties.tags.includes(`external/cwe/cwe-${n}`), `${id} cwe-${n}`);
    assert.match(d.helpUri, new RegExp(`docs/rules/${id}\\.md$`));
  }
});
