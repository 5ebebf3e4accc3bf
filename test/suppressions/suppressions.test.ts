import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as ts from 'typescript';
import { createEngines } from '../../src/core/engines';
import { applyEdits } from '../../src/core/fix';
import { Linter } from '../../src/core/linter';
import { createRule } from '../../src/core/rule';
import { parseDirectives } from '../../src/core/suppressions';
import { LineMap } from '../../src/core/text';
import type { Finding } from '../../src/core/types';
import invalidSuppression from '../../src/rules/invalid-suppression';
import unusedSuppression from '../../src/rules/unused-suppression';
import '../../src/core/python/engine';
import '../../src/core/ts/engine';

/**
 * A stand-in rule that reports every call to `danger(...)` (and a second id reporting
 * `risky(...)`), so suppressions are tested through the real linter and both real engines
 * without depending on the taint engines' progress.
 */
function callRule(id: string, callee: string) {
  return createRule({
    meta: { id, description: `Disallow calls to ${callee}`, cwe: [1], severity: 'error', precision: 'high', languages: ['typescript', 'javascript', 'python'] },
    check: {
      typescript(ctx) {
        const visit = (n: ts.Node): void => {
          if (ts.isCallExpression(n) && n.expression.getText(ctx.sourceFile) === callee) {
            ctx.report({ span: { start: n.getStart(ctx.sourceFile), end: n.end }, message: `Call to '${callee}'.` });
          }
          ts.forEachChild(n, visit);
        };
        visit(ctx.sourceFile);
      },
      python(ctx) {
        const visit = (n: import('../../src/core/python/parser').SyntaxNode): void => {
          if (n.type === 'call' && n.childForFieldName('function')?.text === callee) {
            ctx.report({ span: { start: n.startIndex, end: n.endIndex }, message: `Call to '${callee}'.` });
          }
          for (const c of n.namedChildren) if (c) visit(c);
        };
        visit(ctx.tree.rootNode);
      },
    },
  });
}

const danger = callRule('test-danger', 'danger');
const risky = callRule('test-risky', 'risky');

let linter: Linter;
before(async () => {
  linter = await Linter.create({ rules: [danger, invalidSuppression, risky, unusedSuppression], engines: createEngines() });
});

function lint(file: string, text: string): Finding[] {
  return [...linter.lintText(file, text).findings];
}
function summary(fs: Finding[]): string[] {
  return fs.map((f) => `${f.location.startLine}:${f.ruleId}`);
}

describe('suppression directives (TypeScript)', () => {
  test('next-line, same-line and file forms with reasons suppress exactly their rule', () => {
    const text = [
      'danger(a);',
      '// mcp-warden-disable-next-line test-danger -- a is a constant',
      'danger(b);',
      'danger(c); // mcp-warden-disable-line test-danger -- c is checked above',
      'risky(d); // mcp-warden-disable-line test-danger -- wrong rule, so risky stays and this is unused',
    ].join('\n');
    assert.deepEqual(summary(lint('a.ts', text)), ['1:test-danger', '5:test-risky', '5:unused-suppression']);
  });

  test('file-level directive in a block comment at the top', () => {
    const text = ['/* mcp-warden-disable-file test-danger -- generated code */', 'danger(a);', 'danger(b);', 'risky(c);'].join('\n');
    assert.deepEqual(summary(lint('a.ts', text)), ['4:test-risky']);
  });

  test('a directive without a reason still applies but is reported as invalid', () => {
    const text = ['// mcp-warden-disable-next-line test-danger', 'danger(a);'].join('\n');
    const f = lint('a.ts', text);
    assert.deepEqual(summary(f), ['1:invalid-suppression']);
    assert.equal(f[0]!.severity, 'warning');
    assert.equal(f[0]!.message, "The directive 'mcp-warden-disable-next-line' gives no reason after '--'.");
  });

  test('unknown rule ids and empty rule lists are invalid', () => {
    const text = ['// mcp-warden-disable-next-line test-dagner -- typo', 'danger(a);', '// mcp-warden-disable-next-line -- no rule', 'risky(b);'].join('\n');
    const f = lint('a.ts', text);
    assert.deepEqual(summary(f), ['1:invalid-suppression', '2:test-danger', '3:invalid-suppression', '4:test-risky']);
    assert.match(f[0]!.message, /unknown rule 'test-dagner'/);
  });

  test('several rules in one directive; each unused one is reported separately', () => {
    const text = ['// mcp-warden-disable-next-line test-danger, test-risky -- both are fine here', 'danger(a);'].join('\n');
    const f = lint('a.ts', text);
    assert.deepEqual(summary(f), ['1:unused-suppression']);
    assert.equal(f[0]!.message, "The directive 'mcp-warden-disable-next-line' suppresses no 'test-risky' finding.");
    // Its fix removes just that rule from the list.
    const fixed = applyEdits(text, f[0]!.fixes[0]!.edits).text;
    assert.equal(fixed.split('\n')[0], '// mcp-warden-disable-next-line test-danger -- both are fine here');
    assert.deepEqual(summary(lint('a.ts', fixed)), []);
  });

  test('the fix for a fully unused directive removes its line', () => {
    const text = ['x();', '  // mcp-warden-disable-next-line test-danger -- stale', '  ok();', ''].join('\n');
    const f = lint('a.ts', text);
    assert.deepEqual(summary(f), ['2:unused-suppression']);
    assert.equal(f[0]!.fixes[0]!.kind, 'fix');
    assert.equal(applyEdits(text, f[0]!.fixes[0]!.edits).text, 'x();\n  ok();\n');
  });

  test('a directive above a statement a formatter wrapped still covers it', () => {
    const text = [
      '// mcp-warden-disable-next-line test-danger -- reviewed',
      'const out =',
      '  await danger(',
      '    `ls ${dir}`,',
      '  );',
      '// mcp-warden-disable-next-line test-danger -- reviewed',
      'const r = client',
      '  .prepare()',
      '  .then(() => danger(x));',
      'danger(after);',
    ].join('\n');
    assert.deepEqual(summary(lint('a.ts', text)), ['10:test-danger']);
  });

  test('a directive above a function does not cover its body', () => {
    const text = ['// mcp-warden-disable-next-line test-danger -- only the header', 'server.tool("x", async ({ cmd }) => {', '  danger(cmd);', '});'].join('\n');
    assert.deepEqual(summary(lint('a.ts', text)), ['1:unused-suppression', '3:test-danger']);
  });

  test('a blank line detaches a next-line directive; directive text inside strings is ignored', () => {
    const text = ['// mcp-warden-disable-next-line test-danger -- detached', '', 'danger(a);', 'const s = "// mcp-warden-disable-line test-danger -- not a comment"; danger(s);'].join('\n');
    assert.deepEqual(summary(lint('a.ts', text)), ['1:unused-suppression', '3:test-danger', '4:test-danger']);
  });

  test('a file that does not parse reports no unused directive (its findings may be missing)', () => {
    const text = ['// mcp-warden-disable-next-line test-danger -- reviewed', 'ok(', '// mcp-warden-disable-next-line nope -- typo'].join('\n');
    assert.deepEqual(summary(lint('a.ts', text)), ['3:invalid-suppression']);
  });

  test('directive text inside a multi-line template literal is not a directive', () => {
    const help = ['const help = `', '// mcp-warden-disable-next-line test-danger', '`;', 'danger(a);'].join('\n');
    assert.deepEqual(summary(lint('a.ts', help)), ['4:test-danger']);
  });

  test('CRLF files work the same', () => {
    const text = ['// mcp-warden-disable-next-line test-danger -- reviewed', 'danger(a);', 'danger(b);'].join('\r\n');
    assert.deepEqual(summary(lint('a.ts', text)), ['3:test-danger']);
  });

  test('directive findings follow the configuration (off means not reported)', async () => {
    const quiet = await Linter.create({
      rules: [danger, invalidSuppression, risky, unusedSuppression],
      engines: createEngines(),
      config: { rules: { 'unused-suppression': 'off', 'invalid-suppression': 'error' }, ignore: [] },
    });
    const text = ['// mcp-warden-disable-next-line test-risky', 'danger(a);'].join('\n');
    assert.deepEqual(
      quiet.lintText('a.ts', text).findings.map((f) => `${f.ruleId}:${f.severity}`),
      ['invalid-suppression:error', 'test-danger:error'],
    );
  });
});

describe('suppression directives (Python)', () => {
  test('next-line, same-line and file forms', () => {
    const text = [
      '# mcp-warden-disable-file test-risky -- legacy module',
      'danger(a)',
      '# mcp-warden-disable-next-line test-danger -- a is validated above',
      'danger(b)',
      'danger(c)  # mcp-warden-disable-line test-danger -- constant',
      'risky(d)',
    ].join('\n');
    assert.deepEqual(summary(lint('a.py', text)), ['2:test-danger']);
  });

  test('a directive above a wrapped call covers it, but not a def body', () => {
    const text = [
      '# mcp-warden-disable-next-line test-danger -- reviewed',
      'result = subprocess_call(',
      '    danger(x),',
      ')',
      '# mcp-warden-disable-next-line test-danger -- header only',
      'def tool(cmd):',
      '    danger(cmd)',
    ].join('\n');
    assert.deepEqual(summary(lint('a.py', text)), ['5:unused-suppression', '7:test-danger']);
  });

  test('directive text inside a docstring is documentation, not a directive', () => {
    const text = ['def f():', '    """Suppress with:', '    # mcp-warden-disable-next-line test-danger', '    """', '    danger(x)'].join('\n');
    assert.deepEqual(summary(lint('a.py', text)), ['5:test-danger']);
  });

  test('missing reason is a warning; "#" inside a string is not a comment', () => {
    const text = ['x = "# mcp-warden-disable-line test-danger -- no"; danger(x)', 'danger(y)  # mcp-warden-disable-line test-danger'].join('\n');
    assert.deepEqual(summary(lint('a.py', text)), ['1:test-danger', '2:invalid-suppression']);
  });
});

describe('parseDirectives', () => {
  test('parses the rule list span', () => {
    const text = '  // mcp-warden-disable-next-line a, b -- why\nx';
    const [d] = parseDirectives(text, new LineMap(text), 'typescript');
    assert.equal(text.slice(d!.rulesSpan.start, d!.rulesSpan.end), 'a, b');
    assert.equal(d!.reason, 'why');
    assert.deepEqual([d!.fromLine, d!.toLine], [2, 2]);
  });
});
