import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { Linter } from '../../src/core/linter';
import { PythonEngine } from '../../src/core/python/engine';
import type { AnalysisHost } from '../../src/core/engine';
import { allRules } from '../../src/rules';
import { prng } from '../fuzz/generate';
// @ts-expect-error: a plain ES module of the benchmarks, without types.
import { generatePy } from '../../bench/gen-server.mjs';
import { pyFiles } from '../support/source-files';
import { comparable, typingEdit } from './replay-support';
import { detachFlow } from '../../src/core/python/replay';
import type { RawFlow } from '../../src/core/python/analyzer';

// While a Python file is edited, the engine replays the taint analysis of the entry points the
// edit left alone (src/core/python/replay.ts). These tests hold it to one promise: whatever the
// edits, the results are exactly those of a fresh analysis of the same text, with and without
// fixes; and to doing its job: typing in one tool replays the others.

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const host: AnalysisHost = { readFile: () => undefined };

let engine: PythonEngine;
let editing: Linter;
let freshEngine: PythonEngine;
let fresh: Linter;
before(async () => {
  engine = new PythonEngine();
  editing = await Linter.create({ rules: allRules, engines: [engine] });
  freshEngine = new PythonEngine();
  fresh = await Linter.create({ rules: allRules, engines: [freshEngine] });
});

/** Lints with the editing linter, checks it against a fresh analysis, returns the entry points replayed. */
function check(file: string, text: string, where: string, fixes = false, hostFor: AnalysisHost = host): number {
  freshEngine.forget();
  const want = comparable(fresh.lintText(file, text, { host: hostFor, fixes }));
  const got = comparable(editing.lintText(file, text, { host: hostFor, fixes }));
  if (got !== want) {
    const a = got.split('\n');
    const b = want.split('\n');
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    assert.fail(`${where}: line ${i + 1} is ${a[i]}, a fresh analysis has ${b[i]}`);
  }
  return engine.replayStats(file)?.replayed ?? 0;
}

const SNIPPETS = ['x', ' ', '\n', '(', ')', ':', '"', ' + cmd', 'os.system(cmd)', '\n    return eval(x)', '\n    y = x\n', '#', 'f"{', '"""', '\n@mcp.tool()\ndef t(cmd: str):\n    return eval(cmd)\n'];

/** A typing-like edit, mostly inside function definitions (where replays happen), sometimes anywhere. */
const edit = (text: string, rnd: () => number): string =>
  typingEdit(text, rnd, { snippets: SNIPPETS, anchors: /^(?:@|def |async def )/gm, reach: 300, insert: 0.6, remove: 0.9 });

/** A seed for a file's random edits, from its path (FNV-1a). */
function seedOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h % 100_000;
}

describe('replay of the Python taint analysis', () => {
  // Found in session 15 when new fixtures moved every file's seed (they were 900 + the file's
  // index): at step 3 an unclosed call left the file broken, and tree-sitter's re-parse of the
  // edited tree wrapped the mistake in another ERROR node than a fresh parse (lines 11-16
  // against the whole file), so the parse-error problem moved. It is now located from the text
  // alone (recover.ts, Recovery.error).
  test('random edits of prototype_names.py with seed 948 equal fresh analyses (a parse error located from the text alone)', () => {
    const file = path.join(FIXTURES, 'rules/no-command-injection/prototype_names.py');
    const rnd = prng(948);
    let text = fs.readFileSync(file, 'utf8');
    for (let step = 0; step < 12; step++) {
      if (step > 0) text = edit(text, rnd);
      check(file, text, `prototype_names.py seed 948 step ${step}`, rnd() < 0.3);
    }
  });

  test('random edits of every Python fixture and example equal fresh analyses, with and without fixes', () => {
    const files = [...pyFiles(FIXTURES), ...pyFiles(EXAMPLES)];
    assert.ok(files.length > 40, `${files.length} files`);
    let replayed = 0;
    for (const file of files) {
      // Each file's seed comes from its name, so that adding a fixture does not change the
      // edits every other file gets.
      const seed = seedOf(path.relative(FIXTURES, file));
      const rnd = prng(seed);
      let text = fs.readFileSync(file, 'utf8');
      for (let step = 0; step < 12; step++) {
        if (step > 0) text = edit(text, rnd);
        replayed += check(file, text, `${path.relative(FIXTURES, file)} seed ${seed} step ${step}`, rnd() < 0.3);
      }
    }
    assert.ok(replayed > 200, `replayed ${replayed} entry points`);
  });

  test('typing in the generated 1,000-line server replays the other tools and changes no result', () => {
    const file = '/virtual/generated/server_1000.py';
    const base: string = generatePy(1000);
    // Tool docstrings (the first match is the module's docstring, which every entry point depends on).
    const docs = [...base.matchAll(/"""(?=[A-Z])/g)].map((m) => m.index! + 3).slice(1);
    let text = base;
    let replayed = 0;
    const rnd = prng(4242);
    for (let step = 0; step < 40; step++) {
      // The benchmark's pattern (one letter into another tool's docstring), then random typing.
      if (step < 20) {
        const at = docs[step % docs.length]!;
        text = `${base.slice(0, at)}${String.fromCharCode(97 + step)}${base.slice(at)}`;
      } else text = edit(text, rnd);
      const r = check(file, text, `generated server step ${step}`, step % 5 === 4);
      if (step >= 1 && step < 20) assert.ok(r > 50, `step ${step}: replayed only ${r} entry points`);
      replayed += r;
    }
    assert.ok(replayed > 1500, `replayed ${replayed}`);
  });

  test('typing in two tools at once replays the tools between them, moved by the first edit only', () => {
    // An analysis that skipped a version sees two far-apart edits (the engine parses them as two
    // edits: textEdits); the tools between them are replayed with their flows moved by the first
    // edit's length difference, those after both by both.
    const file = '/virtual/generated/server_1000.py';
    const base: string = generatePy(1000);
    const docs = [...base.matchAll(/"""(?=[A-Z])/g)].map((m) => m.index! + 3).slice(1);
    const rnd = prng(77);
    let replayed = 0;
    for (let step = 0; step < 24; step++) {
      let text = base;
      if (step % 2 === 1) {
        const a = Math.floor(rnd() * (docs.length - 10));
        const b = a + 3 + Math.floor(rnd() * 6);
        text = `${base.slice(0, docs[a]!)}q${base.slice(docs[a]!, docs[b]!)}Two words. ${base.slice(docs[b]!)}`;
      }
      const r = check(file, text, `two tools at once, step ${step}`, step % 6 === 5);
      if (step >= 1) assert.ok(r > 50, `step ${step}: replayed only ${r} entry points`);
      replayed += r;
    }
    assert.ok(replayed > 1000, `replayed ${replayed}`);
  });
});

describe('detachFlow', () => {
  test('a recorded flow is copied with equal values in the same key order, non-plain objects shared', () => {
    const text = `${'x'.repeat(40)} tool argument 'some_long_parameter_name' and more`;
    const name = text.slice(55, 79);
    const node = new (class Node {
      readonly at = 3;
    })();
    const flow: RawFlow = {
      kind: 'path',
      sinkSpan: { start: 1, end: 2 },
      argSpan: { start: 1, end: 2 },
      sinkName: text.slice(40, 60),
      origin: { name, sourceKind: 'tool argument', steps: [{ file: '/a.py', span: { start: 0, end: 1 }, message: `tool argument '${name}'` }], rename: 'k' },
      steps: [{ file: '/a.py', span: { start: 5, end: 9 }, message: `passed to '${text.slice(41, 70)}'` }],
      data: { reason: `${name} is joined`, guard: { start: 4, end: 5 }, list: [name, 1], node, flag: true },
    };
    const copy = detachFlow(flow);
    assert.equal(JSON.stringify(copy), JSON.stringify(flow));
    assert.deepEqual(copy, flow);
    assert.notEqual(copy.data, flow.data);
    assert.equal(copy.data['node'], node, 'class instances are shared, not copied');
  });
});

/** A server whose entry points share helpers, constants, classes, validators and each other. */
const SERVER = `import os
import subprocess
from flask import request
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("x")
ROOT = "/srv"


def helper(cmd):
    return subprocess.run(cmd, shell=True)


def shared(x):
    return os.system(x)


def is_safe(p):
    return p.isalnum()


def unused(z):
    return eval(z)


@mcp.tool()
def t1(cmd: str) -> str:
    """Doc one."""
    return helper(cmd)


@mcp.tool()
def t2(path: str) -> str:
    """Doc two."""
    return open(os.path.join(ROOT, path)).read()


@mcp.tool()
def t3(a: str) -> str:
    """Doc three."""
    return shared(a)


@mcp.tool()
def t4(b: str) -> str:
    """Doc four."""
    return shared(b)


@mcp.tool()
def t5(q: str) -> str:
    """Doc five."""
    def inner(z):
        return eval(z)
    return inner(q)


class Runner:
    def run(self, c):
        return os.popen(c)


@mcp.tool()
def t6(c: str) -> str:
    """Doc six."""
    return Runner().run(c)


@mcp.tool()
def t7(c: str) -> str:
    """Doc seven."""
    return c


@mcp.tool()
def t8(p: str) -> str:
    """Doc eight."""
    if not is_safe(p):
        raise ValueError(p)
    return os.system(p)


@mcp.tool()
def t9(p: str) -> str:
    """Doc nine."""
    if is_safe(p):
        return os.system(p)
    return subprocess.getoutput(p)


@mcp.tool()
def t10(v: str) -> str:
    """Doc ten."""
    return os.system(v + ROOT)


@mcp.tool()
def twin(cmd: str) -> str:
    """Twin."""
    return os.system(cmd)


@mcp.tool()
def twin(cmd: str) -> str:
    """Twin."""
    return os.system(cmd)


mcp.add_tool(t2)
`;

/** Edits of SERVER, applied in turn: [label, find, replace]. Each must find its text. */
const EDITS: [string, string, string][] = [
  ['a docstring', 'Doc two.', 'Doc two!'],
  ['another docstring', 'Doc nine.', 'Doc nine, edited.'],
  ['a helper two tools call', 'return os.system(x)', 'return os.system(x.strip())'],
  ['a helper one tool calls: sanitised', 'return subprocess.run(cmd, shell=True)', 'return subprocess.run(["ls", "--", cmd])'],
  ['the helper back', 'return subprocess.run(["ls", "--", cmd])', 'return subprocess.run(cmd, shell=True)'],
  ['a helper nobody calls', 'return eval(z)\n\n\n@mcp.tool()\ndef t1', 'return exec(z)\n\n\n@mcp.tool()\ndef t1'],
  ['a registration inside that helper', 'return exec(z)\n\n\n@mcp.tool()\ndef t1', 'mcp.add_prompt(t5)\n    return exec(z)\n\n\n@mcp.tool()\ndef t1'],
  ['a docstring after the registration', 'Doc three.', 'Doc three!'],
  ['a validator two tools call', 'return p.isalnum()', 'return p.isidentifier() or p.isalnum()'],
  ['a module constant', 'ROOT = "/srv"', 'ROOT = os.environ["ROOT"]'],
  ['a constant cycle', 'ROOT = os.environ["ROOT"]', 'ROOT = os.environ["ROOT"]\nA = B\nB = A'],
  ['a tool reading it', 'return os.system(v + ROOT)', 'return os.system(v + A)'],
  ['docstring edited while the cycle exists', 'Doc five.', 'Doc five!'],
  ['the constant cycle broken', 'B = A', 'B = "b"'],
  ['a docstring after the cycle', 'Doc five!', 'Doc five.'],
  ['a module-level flow', 'B = "b"', 'B = "b"\nLOGGED = os.system(request.args["q"])'],
  ['a tool reading the constant with the flow', 'return os.system(v + A)', 'return os.system(v + A + LOGGED)'],
  ['docstring edited while the module-level flow exists', 'Doc five.', 'Doc five!'],
  ['a class method', 'return os.popen(c)', 'return os.popen(c.strip())'],
  ['a nested function', '        return eval(z)', '        return eval(z.strip())'],
  ['a decorator: tool to prompt', '@mcp.tool()\ndef t2(', '@mcp.prompt()\ndef t2('],
  ['a decorator removed', '@mcp.tool()\ndef t4(', 'def t4('],
  ['a parameter type', 'def t3(a: str)', 'def t3(a: int)'],
  ['a tool made to call another tool', 'return c\n', 'return t1(c)\n'],
  ['a tool another tool calls', 'Doc one.', 'Doc one!'],
  ['a tool body another tool calls', 'return helper(cmd)', 'return helper(cmd.lower())'],
  ['one of two same-named tools', 'Twin."""\n    return os.system(cmd)\n\n\n@mcp', 'Twin."""\n    return os.popen(cmd)\n\n\n@mcp'],
  ['a helper shadowed by a later definition', 'mcp.add_tool(t2)', 'def helper(cmd):\n    return cmd\n\n\nmcp.add_tool(t2)'],
  ['the shadowing definition renamed', 'def helper(cmd):\n    return cmd\n', 'def helper2(cmd):\n    return cmd\n'],
  ['a builtin shadowed by a module function', 'def unused(z):', 'def open(z):\n    return z\n\n\ndef unused(z):'],
  ['an import inside a function', '    """Doc ten."""\n', '    """Doc ten."""\n    import shlex as os\n'],
  ['the import removed', '    import shlex as os\n', ''],
  ['a tool registered twice', 'mcp.add_tool(t2)', 'mcp.add_tool(t2)\nmcp.add_tool(t5)'],
  ['a syntax error typed', 'return shared(b)', 'return shared(b'],
  ['the syntax error fixed', 'return shared(b', 'return shared(b)'],
  ['a tool moved below another', '@mcp.tool()\ndef t9(p: str) -> str:\n    """Doc nine, edited."""\n    if is_safe(p):\n        return os.system(p)\n    return subprocess.getoutput(p)\n\n\n', ''],
  ['the tool pasted at the end', 'mcp.add_tool(t5)\n', 'mcp.add_tool(t5)\n\n\n@mcp.tool()\ndef t9(p: str) -> str:\n    """Doc nine."""\n    return os.system(p)\n'],
  ['the module-level flow removed', 'LOGGED = os.system(request.args["q"])', 'LOGGED = "none"'],
  ['a docstring after the module-level flow', 'Doc five!', 'Doc five.'],
  ['a comment between tools', '\n\nclass Runner', '\n# runners\n\nclass Runner'],
  ['a docstring again', 'Doc six.', 'Doc six?'],
];

describe('replay of the Python taint analysis: edits aimed at what it depends on', () => {
  test('each edit gives the findings of a fresh analysis, and docstring edits replay', () => {
    const file = '/virtual/replay/server.py';
    let text = SERVER;
    check(file, text, 'the server');
    check(file, text, 'the server again', true);
    let replayed = 0;
    for (const [label, find, replace] of EDITS) {
      assert.ok(text.includes(find), `${label}: '${find}' not found`);
      text = text.replace(find, replace);
      const r = check(file, text, label);
      replayed += r;
      // Also with fixes, right after (the same text: everything that is isolated replays).
      check(file, text, `${label}, with fixes`, true);
      if (label.startsWith('a docstring')) assert.ok(r > 0, `${label}: nothing replayed`);
    }
    assert.ok(replayed > 20, `replayed ${replayed}`);
  });

  test("scenarios where an unchanged entry point's result depends on another one or on the module", () => {
    const head = 'import os\nimport subprocess\nfrom mcp.server.fastmcp import FastMCP\nimport helpers\n\nmcp = FastMCP("x")\n';
    const chain = (to: string): string => [1, 2, 3, 4, 5].map((i) => `def c${i}(x):\n    return ${i < 5 ? `c${i + 1}` : to}(x)\n\n\n`).join('');
    const tool = (name: string, doc: string, body: string): string => `@mcp.tool()\ndef ${name}(x: str) -> str:\n    """${doc}"""\n${body}\n\n\n`;
    const helpers = 'def sink(x):\n    return os.system(x)\n\n\ndef h(x):\n    return sink(x)\n\n\n';
    const scenarios: { name: string; text: string; edits: [string, string][]; host?: (step: number) => AnalysisHost }[] = [
      {
        // A summary made deep in a call chain (where the depth cap cuts the helper's own calls)
        // is what a later entry point finds: which entry point made it first matters.
        name: 'a helper summarised at different depths',
        text: `${head}\n\n${helpers}${chain('h')}${tool('tb', 'B.', '    return h(x)')}${tool('tk', 'K.', '    return len(x)')}`,
        edits: [
          ['K.', 'K!'],
          ['return len(x)', 'return c1(x)'],
          ['B.', 'B!'],
          ['return c1(x)', 'return len(x)'],
          ['B!', 'B.'],
        ],
      },
      {
        name: 'a helper first summarised deep by an earlier entry point, which stops calling it',
        text: `${head}\n\n${helpers}${chain('h')}${tool('tk', 'K.', '    return c1(x)')}${tool('tb', 'B.', '    return h(x)')}`,
        edits: [
          ['B.', 'B!'],
          ['return c1(x)', 'return len(x)'],
          ['K.', 'K!'],
          ['return len(x)', 'return c1(x)'],
          ['B!', 'B.'],
        ],
      },
      {
        // A validator asked about past the depth cap answers "proves nothing" for the rest of the run.
        name: 'a validator first asked past the depth cap',
        text: `${head}\n\ndef is_safe(p):\n    return p.isalnum()\n\n\ndef deep(x):\n    if is_safe(x):\n        return x\n    return x\n\n\n${chain('deep')}${tool('ta', 'A.', '    return c1(x)')}${tool('tb', 'B.', '    if not is_safe(x):\n        raise ValueError(x)\n    return os.system(x)')}`,
        edits: [
          ['B.', 'B!'],
          ['return c1(x)', 'return len(x)'],
          ['A.', 'A!'],
          ['return len(x)', 'return c1(x)'],
          ['B!', 'B.'],
        ],
      },
      {
        name: 'a module constant the analysis reads',
        // Compared with a constant, the argument is that constant; with the environment's value, anything.
        text: `${head}SAFE = "ls"\n\n\n${tool('ta', 'A.', '    if x != SAFE:\n        raise ValueError(x)\n    return os.system(x)')}${tool('tb', 'B.', '    return os.system(x)')}`,
        edits: [
          ['B.', 'B!'],
          ['SAFE = "ls"', 'SAFE = os.environ["SAFE"]'],
          ['B!', 'B.'],
          ['SAFE = os.environ["SAFE"]', 'SAFE = "ls"'],
        ],
      },
      {
        // The second reader of a module constant finds it computed: what computing it read counts for it too.
        name: 'a module constant from a project module that changes',
        text: `${head}from helpers import PREFIX\nCMD = PREFIX\n\n\n${tool('ta', 'A.', '    return subprocess.run([CMD, x])')}${tool('tb', 'B.', '    return subprocess.run([CMD, x])')}`,
        edits: [
          ['A.', 'A!'],
          ['A!', 'A.'],
          ['A.', 'A!'],
        ],
        host: (step) => ({
          readFile: (f) => (f.endsWith(`${path.sep}helpers.py`) ? (step < 2 ? 'PREFIX = "git"\n' : 'PREFIX = "echo"\n') : undefined),
        }),
      },
      {
        // What a dispatch by name may call is filled in functions the dispatching tool never runs.
        name: 'a dispatch table filled inside functions',
        text: `${head}TOOLS = {}\n\n\ndef safe(x):\n    return len(x)\n\n\ndef bad(x):\n    return os.system(x)\n\n\ndef handler(fn):\n    TOOLS[fn.__name__] = fn\n    return fn\n\n\ndef register_all():\n    TOOLS["a"] = safe\n\n\ndef setup():\n    pass\n\n\nregister_all()\nsetup()\n\n\n${tool('ta', 'A.', '    return TOOLS[x](x)')}${tool('tb', 'B.', '    return len(x)')}`,
        edits: [
          ['B.', 'B!'],
          ['TOOLS["a"] = safe', 'TOOLS["a"] = bad'],
          ['B!', 'B.'],
          ['TOOLS["a"] = bad', 'TOOLS["a"] = safe'],
          ['    pass\n', '    TOOLS["b"] = bad\n'],
          ['B.', 'B!'],
          ['    TOOLS["b"] = bad\n', '    pass\n'],
          ['def bad(x)', '@handler\ndef bad(x)'],
          ['B!', 'B.'],
          ['    pass\n', '    handler(bad)\n'],
        ],
      },
    ];
    for (const sc of scenarios) {
      const file = `/virtual/scenario/${sc.name.replace(/\W+/g, '_')}.py`;
      let text = sc.text;
      check(file, text, `${sc.name}: the server`, false, sc.host?.(0) ?? host);
      for (const [i, [find, replace]] of sc.edits.entries()) {
        assert.ok(text.includes(find), `${sc.name}: '${find}' not found`);
        text = text.replace(find, replace);
        check(file, text, `${sc.name}: edit ${i + 1}`, false, sc.host?.(i + 1) ?? host);
      }
    }
  });

  test('the same statement text at two places: each keeps its own positions', () => {
    const file = '/virtual/replay/twins.py';
    const tool = (doc: string) => `@mcp.tool()\ndef run(cmd: str) -> str:\n    """${doc}"""\n    return os.system(cmd)\n\n\n`;
    const head = 'import os\nfrom mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP("x")\n\n\n';
    let text = head + tool('A') + tool('A') + tool('A');
    check(file, text, 'three same tools');
    for (const [i, doc] of ['B', 'A', 'AB', ''].entries()) {
      const first = text.indexOf('"""') + 3;
      text = text.slice(0, first) + doc + text.slice(text.indexOf('"""', first));
      check(file, text, `first docstring '${doc}' (${i})`);
      const last = text.lastIndexOf('"""', text.lastIndexOf('"""') - 1) + 3;
      text = text.slice(0, last) + doc + text.slice(text.lastIndexOf('"""'));
      check(file, text, `last docstring '${doc}' (${i})`);
    }
  });

  test('an import that resolves to a project module is never replayed from a record without it', () => {
    const file = '/virtual/replay/app.py';
    const helpers = '/virtual/replay/helpers.py';
    const text = 'from mcp.server.fastmcp import FastMCP\nfrom helpers import run\n\nmcp = FastMCP("x")\n\n\n@mcp.tool()\ndef go(cmd: str) -> str:\n    """Doc."""\n    return run(cmd)\n\n\n@mcp.tool()\ndef other(p: str) -> str:\n    """Other."""\n    return open(p).read()\n';
    const withHelpers: AnalysisHost = { readFile: (f) => (f === helpers ? 'import os\n\ndef run(c):\n    return os.system(c)\n' : undefined) };
    const safeHelpers: AnalysisHost = { readFile: (f) => (f === helpers ? 'def run(c):\n    return len(c)\n' : undefined) };
    check(file, text, 'with the helper module', false, withHelpers);
    check(file, text.replace('"""Other."""', '"""Other!"""'), 'an edit, same module', false, withHelpers);
    check(file, text.replace('"""Other."""', '"""Other?"""'), 'the module changed', false, safeHelpers);
    check(file, text.replace('"""Other."""', '"""Other!"""'), 'the module changed back', false, withHelpers);
  });
});
