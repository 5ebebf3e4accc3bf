import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Linter } from '../../src/core/linter';
import { PythonEngine } from '../../src/core/python/engine';
import type { AnalysisHost } from '../../src/core/engine';
import { allRules } from '../../src/rules';
import { prng } from '../fuzz/generate';
import { comparable, typingEdit } from './replay-support';

// Counterexamples hunted for the replay of the Python taint analysis (src/core/python/replay.ts):
// sequences of texts after which the linter that has seen the earlier versions must return
// exactly what a fresh linter returns. The shapes are the ones that broke the TypeScript
// equivalent (test/ts/taint-cache-adversarial*.test.ts) translated to Python, plus the guards
// replay.ts names. None of them broke it. Checked by deleting each guard in a scratch copy of
// analyzer.ts: the cycle test fails without the cycle flag (orderDependent on a constant read
// while computed) or without record() giving up on order-dependent runs; the module-level-flow
// test fails without the flag set when a flow is found while computing a constant. Dropping only
// composedExactly's own orderDependent check breaks nothing found here (record() already refuses
// such runs). The module-appearance test fails without replayable()'s re-check of unresolved
// imports. Also redundant as far as found: flowsWithin (every position found lies in the
// statements of touched functions) and marking a replayed entry point shared when one of its
// flows is dropped as a duplicate (its record keeps all its flows).

const noModules: AnalysisHost = { readFile: () => undefined };
let engine: PythonEngine;
let editing: Linter;
let freshEngine: PythonEngine;
let fresh: Linter;
before(async () => {
  freshEngine = new PythonEngine();
  fresh = await Linter.create({ rules: allRules, engines: [freshEngine] });
});

/** A new editing linter: what it replays must not come from an earlier test. */
async function newEditor(): Promise<void> {
  engine = new PythonEngine();
  editing = await Linter.create({ rules: allRules, engines: [engine] });
}

/**
 * Lints each version with the editing linter (each `fixes` setting in turn) and compares every
 * result with a fresh analysis; returns how many entry points were replayed in all.
 */
function sequence(name: string, file: string, versions: readonly string[], hostFor: (v: number) => AnalysisHost = () => noModules, fixesFor: (v: number) => readonly boolean[] = () => [false, true]): number {
  let replayed = 0;
  for (const [v, text] of versions.entries()) {
    for (const fixes of fixesFor(v)) {
      const host = hostFor(v);
      freshEngine.forget();
      const want = comparable(fresh.lintText(file, text, { host, fixes }));
      const got = comparable(editing.lintText(file, text, { host, fixes }));
      if (got !== want) {
        const a = got.split('\n');
        const b = want.split('\n');
        let i = 0;
        while (i < a.length && a[i] === b[i]) i++;
        assert.fail(`${name}, version ${v}, fixes ${fixes}: line ${i + 1} is ${a[i]}, a fresh analysis has ${b[i]}`);
      }
      replayed += engine.replayStats(file)?.replayed ?? 0;
    }
  }
  return replayed;
}

const H = 'import os\nimport subprocess\nfrom mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP("x")\n';
/** A decorated tool. */
const T = (name: string, doc: string, body: string, params = 'x: str'): string => `\n\n@mcp.tool()\ndef ${name}(${params}) -> str:\n    """${doc}"""\n${body}\n`;
/** A plain function (registered elsewhere, or a helper). */
const D = (name: string, doc: string, body: string, params = 'x: str'): string => `\n\ndef ${name}(${params}) -> str:\n    """${doc}"""\n${body}\n`;
/** A module of helpers the host serves as `helpers.py` next to the linted file. */
const helpersAt = (module: (v: number) => string | undefined) => (v: number): AnalysisHost => ({
  readFile: (f: string) => (f.endsWith('/helpers.py') ? module(v) : undefined),
});

/**
 * Date.now frozen, moved on only by `advance`: the engine remembers a missing module file for
 * MISSING_TTL_MS (5 s, modules.ts), so with the real clock whether a file that appeared is seen
 * would depend on how long the test ran (and could differ between the two linters).
 */
function freezeClock(): { advance(ms: number): void; restore(): void } {
  const realNow = Date.now;
  let now = realNow();
  Date.now = () => now;
  return {
    advance: (ms) => void (now += ms),
    restore: () => void (Date.now = realNow),
  };
}

const SHAPES: { name: string; v: string[]; host?: (v: number) => AnalysisHost }[] = [];
/** A base text and the edits applied to it in turn ([find, replace], each must find its text). */
function shape(name: string, base: string, edits: [string, string][], host?: (v: number) => AnalysisHost): void {
  const v = [base];
  let t = base;
  for (const [f, r] of edits) {
    if (!t.includes(f)) throw new Error(`${name}: '${f}' not found`);
    t = t.replace(f, r);
    v.push(t);
  }
  SHAPES.push({ name, v, ...(host ? { host } : {}) });
}

// global assigned in another function
shape('global in helper', H + 'CMD = "ls"\n\n\ndef setup(v):\n    global CMD\n    CMD = "ls"\n' + T('a', 'A.', '    return os.system(CMD)') + T('b', 'B.', '    setup(x)\n    return "ok"'),
  [['A.', 'A!'], ['    CMD = "ls"', '    CMD = v'], ['A!', 'A.'], ['B.', 'B!'], ['    CMD = v', '    CMD = "ls"'], ['A.', 'A?']]);
// global assigned in handler b read by handler a
shape('global in other handler', H + 'CMD = "ls"\n' + T('a', 'A.', '    return os.system(CMD)') + T('b', 'B.', '    global CMD\n    CMD = "ls"\n    return "ok"'),
  [['A.', 'A!'], ['    CMD = "ls"\n    return "ok"', '    CMD = x\n    return "ok"'], ['A!', 'A.'], ['B.', 'B!']]);
// module dict mutated by helper
shape('dict mutated by helper', H + 'CFG = {}\n\n\ndef init(v):\n    CFG["cmd"] = "ls"\n' + T('a', 'A.', '    return os.system(CFG["cmd"])') + T('b', 'B.', '    init(x)\n    return "ok"'),
  [['A.', 'A!'], ['CFG["cmd"] = "ls"', 'CFG["cmd"] = v'], ['A!', 'A.'], ['CFG["cmd"] = v', 'CFG["cmd"] = "ls"'], ['A.', 'A?']]);
// list appended by handler b, read by a
shape('list appended by handler', H + 'LOG = []\n' + T('a', 'A.', '    return os.system(LOG[0])') + T('b', 'B.', '    LOG.append("x")\n    return "ok"'),
  [['A.', 'A!'], ['LOG.append("x")', 'LOG.append(x)'], ['A!', 'A.'], ['B.', 'B!'], ['LOG.append(x)', 'LOG.append("x")'], ['A.', 'A?']]);
// decorator defined in file
shape('custom decorator', H + 'import functools\n\n\ndef deco(f):\n    @functools.wraps(f)\n    def w(*a, **k):\n        return f(*a, **k)\n    return w\n' + '\n\n@mcp.tool()\n@deco\ndef a(x: str) -> str:\n    """A."""\n    return os.system(x)\n' + T('b', 'B.', '    return "ok"'),
  [['B.', 'B!'], ['return f(*a, **k)', 'return f("ls")'], ['B!', 'B.'], ['return f("ls")', 'return f(*a, **k)'], ['B.', 'B?']]);
// default argument from module constant / helper
shape('default arg', H + 'DEF = "ls"\n\n\ndef dflt():\n    return "ls"\n' + T('a', 'A.', '    return os.system(y)', 'x: str, y: str = dflt()') + T('b', 'B.', '    return "ok"'),
  [['B.', 'B!'], ['    return "ls"', '    return os.environ["X"]'], ['B!', 'B.']]);
// helper redefined later
shape('helper redefined', H + '\n\ndef h(v):\n    return os.system(v)\n' + T('a', 'A.', '    return h(x)') + '\n\ndef h(v):\n    return len(v)\n' + T('b', 'B.', '    return "ok"'),
  [['B.', 'B!'], ['    return os.system(v)', '    return subprocess.getoutput(v)'], ['B!', 'B.'], ['    return len(v)', '    return eval(v)'], ['B.', 'B?'], ['def h(v):\n    return eval(v)', 'def h2(v):\n    return eval(v)'], ['B?', 'B.']]);
// handler registered twice (decorator + call)
shape('registered twice', H + T('a', 'A.', '    return os.system(x)') + T('b', 'B.', '    return "ok"') + '\nmcp.prompt()(a)\n',
  [['B.', 'B!'], ['A.', 'A!'], ['mcp.prompt()(a)', 'mcp.resource("r://{x}")(a)'], ['B!', 'B.'], ['A!', 'A.']]);
// registration in a function
shape('registration in function', H + '\n\ndef a(x: str) -> str:\n    """A."""\n    return os.system(x)\n\n\ndef reg():\n    mcp.add_tool(a)\n' + T('b', 'B.', '    return "ok"') + '\nreg()\n',
  [['B.', 'B!'], ['    mcp.add_tool(a)', '    mcp.add_prompt(a)'], ['B!', 'B.'], ['    mcp.add_prompt(a)', '    mcp.add_tool(a, name="z")'], ['B.', 'B?'], ['    mcp.add_tool(a, name="z")', '    pass'], ['B?', 'B.']]);
// emoji before handlers
shape('emoji', H + T('a', 'A.', '    return os.system(x)') + T('b', 'B.', '    return eval(x)'),
  [['A.', 'A😀.'], ['B.', 'B😀😀.'], ['A😀.', 'A.'], ['import os\n', '# 😀é\nimport os\n'], ['B😀😀.', 'B.']]);
// CRLF
SHAPES.push({ name: 'CRLF line ends after LF ones, and a single CRLF', v: [
  (H + T('a', 'A.', '    return os.system(x)') + T('b', 'B.', '    return eval(x)')),
  (H + T('a', 'A!', '    return os.system(x)') + T('b', 'B.', '    return eval(x)')).replace(/\n/g, '\r\n'),
  (H + T('a', 'A!!', '    return os.system(x)') + T('b', 'B.', '    return eval(x)')).replace(/\n/g, '\r\n'),
  (H + T('a', 'A!!', '    return os.system(x)') + T('b', 'B.', '    return eval(x)')).replace(/\n/, '\r\n'),
  (H + T('a', 'A!', '    return os.system(x)') + T('b', 'B.', '    return eval(x)')).replace(/\n/, '\r\n'),
]});
// star import of project module
shape('star import', H + 'from helpers import *\n' + T('a', 'A.', '    return run(x)') + T('b', 'B.', '    return "ok"'),
  [['B.', 'B!'], ['B!', 'B.'], ['B.', 'B?'], ['B?', 'B.']],
  (i): AnalysisHost => ({ readFile: (f: string) => (f.endsWith('/helpers.py') && i >= 2 ? 'import os\n\ndef run(c):\n    return os.system(c)\n' : undefined) }));
// module import attr
shape('import module appears', H + 'import helpers\n' + T('a', 'A.', '    return helpers.run(x)') + T('b', 'B.', '    return "ok"'),
  [['B.', 'B!'], ['B!', 'B.'], ['B.', 'B?'], ['B?', 'B.']],
  (i): AnalysisHost => ({ readFile: (f: string) => (f.endsWith('/helpers.py') && i >= 2 ? 'import os\n\ndef run(c):\n    return os.system(c)\n' : undefined) }));
// package module appears
shape('from pkg import mod', H + 'from pkg import helpers\n' + T('a', 'A.', '    return helpers.run(x)') + T('b', 'B.', '    return "ok"'),
  [['B.', 'B!'], ['B!', 'B.'], ['B.', 'B?'], ['B?', 'B.']],
  (i): AnalysisHost => ({ readFile: (f: string) => (i >= 2 && (f.endsWith('/pkg/helpers.py')) ? 'import os\n\ndef run(c):\n    return os.system(c)\n' : i>=2 && f.endsWith('/pkg/__init__.py') ? '' : undefined) }));
// import inside function resolving project module
shape('local import', H + T('a', 'A.', '    import helpers\n    return helpers.run(x)') + T('b', 'B.', '    return "ok"'),
  [['B.', 'B!'], ['B!', 'B.'], ['B.', 'B?'], ['B?', 'B.']],
  (i): AnalysisHost => ({ readFile: (f: string) => (f.endsWith('/helpers.py') && i >= 2 ? 'import os\n\ndef run(c):\n    return os.system(c)\n' : undefined) }));
// alias inside function vs top
shape('alias', H + T('a', 'A.', '    run = os.system\n    return run(x)') + T('b', 'B.', '    return "ok"'),
  [['B.', 'B!'], ['    run = os.system\n', ''], ['B!', 'B.'], ['import os\n', 'import os\nrun = os.system\n'], ['B.', 'B?'], ['run = os.system\n', 'run = len\n'], ['B?', 'B.']]);
// validator text changes
shape('validator', H + '\n\ndef ok(p):\n    return p.isalnum()\n' + T('a', 'A.', '    if not ok(x):\n        raise ValueError()\n    return os.system(x)') + T('b', 'B.', '    return "ok"'),
  [['B.', 'B!'], ['return p.isalnum()', 'return True'], ['B!', 'B.'], ['return True', 'return p.isalnum()'], ['B.', 'B?']]);
// Annotated constraint in a constant
shape('annotated constant', H + 'from typing import Annotated\nfrom pydantic import Field\nSafe = Annotated[str, Field(pattern=r"^[a-z]+$")]\n' + T('a', 'A.', '    return os.system(x)', 'x: Safe') + T('b', 'B.', '    return "ok"'),
  [['B.', 'B!'], ['Safe = Annotated[str, Field(pattern=r"^[a-z]+$")]', 'Safe = str'], ['B!', 'B.'], ['Safe = str', 'Safe = Annotated[str, Field(pattern=r"^[a-z]+$")]'], ['B.', 'B?']]);
// pydantic model class param
shape('model class', H + 'from pydantic import BaseModel, Field\n\n\nclass Args(BaseModel):\n    cmd: str = Field(pattern=r"^[a-z]+$")\n' + T('a', 'A.', '    return os.system(x.cmd)', 'x: Args') + T('b', 'B.', '    return "ok"'),
  [['B.', 'B!'], ['cmd: str = Field(pattern=r"^[a-z]+$")', 'cmd: str'], ['B!', 'B.']]);
// handlers in class
shape('class handlers', H + '\n\nclass S:\n    @mcp.tool()\n    def a(self, x: str) -> str:\n        """A."""\n        return os.system(x)\n' + T('b', 'B.', '    return eval(x)'),
  [['B.', 'B!'], ['A.', 'A!'], ['B!', 'B.']]);
// nested def, lambda, comprehension, walrus, match
shape('scopes', H + T('a', 'A.', '    f = lambda v: os.system(v)\n    ys = [os.popen(y) for y in [x]]\n    if (z := x):\n        pass\n    match x:\n        case "a":\n            return "a"\n        case _:\n            return f(z)') + T('b', 'B.', '    return eval(x)'),
  [['B.', 'B!'], ['A.', 'A!'], ['case "a"', 'case str()'], ['B!', 'B.']]);
// functools.partial top
shape('partial', H + 'import functools\nrun = functools.partial(subprocess.run, shell=True)\n' + T('a', 'A.', '    return run(x)') + T('b', 'B.', '    return "ok"'),
  [['B.', 'B!'], ['shell=True', 'shell=False'], ['B!', 'B.']]);
// conditional def
shape('conditional def', H + '\nif os.name == "nt":\n    def h(v):\n        return os.system(v)\nelse:\n    def h(v):\n        return v\n' + T('a', 'A.', '    return h(x)') + T('b', 'B.', '    return "ok"'),
  [['B.', 'B!'], ['        return v\n', '        return eval(v)\n'], ['B!', 'B.']]);
// __all__ and module docstring
shape('docstring', '"""Mod."""\n' + H + '__all__ = ["a"]\n' + T('a', 'A.', '    return os.system(x)') + T('b', 'B.', '    return "ok"'),
  [['Mod.', 'Mod!'], ['B.', 'B!'], ['__all__ = ["a"]', '__all__ = ["a", "b"]'], ['B!', 'B.']]);
// syntax error in one handler and recovery
shape('syntax error', H + T('a', 'A.', '    return os.system(x)') + T('b', 'B.', '    return eval(x)') + T('c', 'C.', '    return os.popen(x)'),
  [['B.', 'B!'], ['return eval(x)', 'return eval(x'], ['C.', 'C!'], ['A.', 'A!'], ['return eval(x', 'return eval(x)'], ['C!', 'C.'], ['A!', 'A.'], ['return os.system(x)', 'return os.system(x'], ['C.', 'C?'], ['return os.system(x', 'return os.system(x)'], ['C?', 'C.']]);
// tabs vs spaces
shape('tabs', H + T('a', 'A.', '\treturn os.system(x)').replace('    """A."""', '\t"""A."""') + T('b', 'B.', '    return eval(x)'),
  [['B.', 'B!'], ['\treturn os.system(x)', '    return os.system(x)'], ['B!', 'B.']]);
// same function name two handlers + helper calls by name
shape('two same-name', H + T('a', 'A.', '    return os.system(x)') + T('a', 'A2.', '    return eval(x)') + T('b', 'B.', '    return a(x)'),
  [['B.', 'B!'], ['A2.', 'A3.'], ['A.', 'A!'], ['B!', 'B.'], ['return eval(x)', 'return len(x)'], ['A3.', 'A2.']]);
// handler calls another handler
shape('call handler', H + T('a', 'A.', '    return os.system(x)') + T('b', 'B.', '    return "ok"') + T('c', 'C.', '    return "ok"'),
  [['C.', 'C!'], ['    return "ok"\n', '    return a(x)\n'], ['C!', 'C.'], ['A.', 'A!'], ['C.', 'C?']]);
// class attr / method consulted
shape('class attr', H + '\n\nclass R:\n    prog = "ls"\n    def run(self, c):\n        return os.system(self.prog + c)\n' + T('a', 'A.', '    return R().run(x)') + T('b', 'B.', '    return "ok"'),
  [['B.', 'B!'], ['prog = "ls"', 'prog = os.environ["P"]'], ['B!', 'B.']]);
// global statement in module function changes an alias used by handler
shape('global alias', H + 'runner = len\n\n\ndef configure():\n    global runner\n    runner = len\n' + T('a', 'A.', '    return runner(x)') + T('b', 'B.', '    configure()\n    return "ok"'),
  [['A.', 'A!'], ['    runner = len', '    runner = os.system'], ['A!', 'A.'], ['B.', 'B!'], ['A.', 'A?']]);
// module-level statement calling handler with tainted (flow at module level)
shape('module flow', H + 'from flask import request\n' + T('a', 'A.', '    return os.system(x)') + T('b', 'B.', '    return "ok"') + '\nV = a(request.args["q"])\n',
  [['B.', 'B!'], ['A.', 'A!'], ['B!', 'B.']]);
// http handler
shape('http', 'import os\nfrom flask import Flask, request\napp = Flask(__name__)\n\n\n@app.route("/a")\ndef a():\n    """A."""\n    return os.system(request.args["q"])\n\n\n@app.route("/b")\ndef b():\n    """B."""\n    return eval(request.args["q"])\n',
  [['B.', 'B!'], ['A.', 'A!'], ['@app.route("/a")', '@app.route("/a", methods=["POST"])'], ['B!', 'B.']]);
// lowlevel
shape('lowlevel', 'import os\nfrom mcp.server import Server\nserver = Server("x")\n\n\n@server.call_tool()\nasync def call(name, arguments):\n    """A."""\n    return os.system(arguments["c"])\n\n\n@server.get_prompt()\nasync def gp(name, arguments):\n    """B."""\n    return eval(arguments["c"])\n',
  [['B.', 'B!'], ['A.', 'A!'], ['B!', 'B.']]);
// nested def in handler calling top helper
shape('nested calls helper', H + '\n\ndef h(v):\n    return os.system(v)\n' + T('a', 'A.', '    def inner(z):\n        return h(z)\n    return inner(x)') + T('b', 'B.', '    return "ok"'),
  [['B.', 'B!'], ['    return os.system(v)', '    return len(v)'], ['B!', 'B.'], ['    return len(v)', '    return eval(v)'], ['B.', 'B?']]);
// helper passed as value / higher order
shape('higher order', H + '\n\ndef h(v):\n    return os.system(v)\n\n\ndef apply(f, v):\n    return f(v)\n' + T('a', 'A.', '    return apply(h, x)') + T('b', 'B.', '    return "ok"'),
  [['B.', 'B!'], ['    return os.system(v)', '    return len(v)'], ['B!', 'B.']]);
// getattr dispatch / dict of functions at module level
shape('dispatch dict', H + '\n\ndef h(v):\n    return os.system(v)\nTABLE = {"h": h}\n' + T('a', 'A.', '    return TABLE["h"](x)') + T('b', 'B.', '    return "ok"'),
  [['B.', 'B!'], ['    return os.system(v)', '    return len(v)'], ['B!', 'B.'], ['    return len(v)', '    return eval(v)'], ['B.', 'B?']]);

describe('replay of the Python taint analysis: adversarial shapes', () => {
  test('each shape, edited around what it depends on, gives the results of a fresh analysis', async () => {
    await newEditor();
    let replayed = 0;
    // Some shapes' module files appear: each version comes 6 s after the previous (see freezeClock).
    const clock = freezeClock();
    try {
      for (const s of SHAPES) {
        const hostFor = (v: number): AnalysisHost => {
          clock.advance(6_000);
          return s.host?.(v) ?? noModules;
        };
        replayed += sequence(s.name, `/virtual/adversarial/${s.name.replace(/\W+/g, '_')}.py`, s.v, hostFor);
      }
    } finally {
      clock.restore();
    }
    // Not vacuous: most edits leave some entry point to replay.
    assert.ok(replayed > 60, `replayed ${replayed}`);
  });

  test('eleven files edited in turn (more than the engine keeps), two of them at one path', async () => {
    await newEditor();
    const rnd = prng(55);
    const texts: string[] = [];
    for (let k = 0; k < 11; k++) texts.push(H + T('a', 'A.', k % 2 ? '    return os.system(x)' : '    return eval(x)') + T('b', 'B.', '    return open(x).read()') + T('c', 'C.', '    return "ok"'));
    let replayed = 0;
    for (let step = 0; step < 80; step++) {
      const k = Math.floor(rnd() * 11);
      const doc = ['A.', 'B.', 'C.'][Math.floor(rnd() * 3)]!;
      const t = texts[k]!;
      const at = t.indexOf(doc);
      texts[k] = t.slice(0, at) + (rnd() < 0.5 ? 'z' : '\u{1F600}') + t.slice(at);
      const fixes = rnd() < 0.3;
      replayed += sequence(`file ${k} step ${step}`, `/virtual/multi${k % 3}/${k < 6 ? 'server' : `srv${k}`}.py`, [texts[k]!], undefined, () => [fixes]);
    }
    assert.ok(replayed > 20, `replayed ${replayed}`);
  });
});

describe('replay of the Python taint analysis: the guards replay.ts names', () => {
  // Module constants `A` and `B` read each other: the one computed second sees the first as
  // "being computed" (clean), so `B` is the constant "ls" when `q` reads first and unknown when
  // `p` does; `q`'s check against `B` proves something only in the first case. Swapping the
  // registrations inside `reg()` changes no statement of either tool: without the cycle flag
  // (orderDependent on a constant read while computed, and record() giving up on it) both
  // replay, with the old order's result.
  test('a cycle of module constants: the entry point that reads first decides their values', async () => {
    await newEditor();
    const defs = 'A = [B, "ls"]\nB = A[1]\n' + D('p', 'P.', '    if x != A[1]:\n        raise ValueError(x)\n    return os.system(x)') + D('q', 'Q.', '    if x != B:\n        raise ValueError(x)\n    return os.system(x)');
    const base = `${H}${defs}\n\ndef reg():\n    mcp.add_tool(p)\n    mcp.add_tool(q)\n`;
    const swapped = base.replace('    mcp.add_tool(p)\n    mcp.add_tool(q)\n', '    mcp.add_tool(q)\n    mcp.add_tool(p)\n');
    // The two orders do give different results (else this test would prove nothing).
    freshEngine.forget();
    const a = fresh.lintText('/virtual/guards/order-a.py', base, { host: noModules });
    const b = fresh.lintText('/virtual/guards/order-b.py', swapped, { host: noModules });
    assert.notEqual(a.findings.length, b.findings.length);
    sequence('constant cycle', '/virtual/guards/cycle.py', [base, swapped, base, swapped, base.replace('P.', 'P!'), swapped]);
  });

  // A flow found while computing a module constant belongs to the entry point that read the
  // constant first (`p`), whose record cannot hold it (its sink lies outside p's statements).
  // `q` reads the constant too, finding it computed. When `p` stops reading it, a full run
  // finds the flow while analysing `q`; a replay of `q`'s record would lose it.
  test('a flow found while computing a module constant, whose first reader stops reading it', async () => {
    await newEditor();
    const defs = 'LOGGED = os.system(request.args["q"])\n' + D('p', 'P.', '    os.system(x)\n    return str(LOGGED)') + D('q', 'Q.', '    return str(LOGGED)') + D('r', 'R.', '    return eval(x)');
    const base = `${H}from flask import request\n${defs}\n\ndef reg():\n    mcp.add_tool(p)\n    mcp.add_tool(q)\n    mcp.add_tool(r)\n`;
    const unread = base.replace('    os.system(x)\n    return str(LOGGED)', '    os.system(x)\n    return "x"');
    const swapped = base.replace('    mcp.add_tool(p)\n    mcp.add_tool(q)\n', '    mcp.add_tool(q)\n    mcp.add_tool(p)\n');
    assert.notEqual(unread, base);
    sequence('module-level flow', '/virtual/guards/flow.py', [base, unread, base, swapped, base.replace('R.', 'R!'), unread, swapped]);
  });

  // An allowlist imported from a project module: the tool that checks against it is never
  // replayed (the import resolved), whichever way the module changes while the file is edited.
  // (Removing only the "resolved a project module" flag is not enough to break this: the binding
  // then lands in the unresolved list, whose re-check finds that it resolves.)
  test('an allowlist from a project module that changes between edits', async () => {
    const base = `${H}from helpers import ALLOWED\n` + T('a', 'A.', '    if x not in ALLOWED:\n        raise ValueError(x)\n    return os.system(x)') + T('c', 'C.', '    return "ok"');
    const versions = [base, base.replace('C.', 'C!'), base, base.replace('C.', 'C?'), base, base.replace('C.', 'C!')];
    const modules = ['import os\nALLOWED = os.environ["X"].split()\n', 'ALLOWED = ["ls", "pwd"]\n'];
    for (const pattern of [[0, 0, 1, 1, 0, 0], [1, 1, 0, 0, 1, 1], [1, 0, 1, 0, 1, 0]]) {
      await newEditor();
      sequence(`allowlist ${pattern.join('')}`, `/virtual/guards/allow${pattern.join('')}.py`, versions, helpersAt((v) => modules[pattern[v]!]));
    }
  });
});

/** A server with shared state of every kind the shapes above use, edited at random. */
const RICH = `"""Server."""
import os
import subprocess
import functools
import helpers
from helpers import *
from pkg import tools
from flask import request
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("x")
CMD = "ls"
CFG = {}
SAFE = "ok"
runner = subprocess.run


def setup(v):
    global CMD
    CMD = v
    CFG["k"] = v


def h(v):
    return os.system(v)


def ok(p):
    return p.isalnum()


def deco(f):
    return f


class R:
    prog = "ls"
    def run(self, c):
        return os.popen(self.prog + c)


@mcp.tool()
@deco
def a(x: str) -> str:
    """A."""
    if not ok(x):
        raise ValueError(x)
    return os.system(CMD + x)


@mcp.tool()
def b(x: str) -> str:
    """B."""
    setup(x)
    return helpers.run(x)


@mcp.tool()
def c(x: str, y: str = SAFE) -> str:
    """C."""
    return run_it(x)


@mcp.tool()
def d(x: str) -> str:
    """D."""
    def inner(z):
        return h(z)
    return inner(x)


@mcp.prompt()
def e(x: str) -> str:
    """E."""
    return R().run(x)


@mcp.tool()
def f(x: str) -> str:
    """F."""
    return tools.go(x) + runner(x, shell=True)


@mcp.tool()
def g(x: str) -> str:
    """G."""
    return eval(CFG.get("k", x))


def h(v):
    return len(v)


mcp.prompt()(a)
`;
const SNIPPETS = ['x', ' ', '\n', '(', ')', ':', '"', ' + x', 'os.system(x)', '\n    return eval(x)\n', '\n    global CMD\n    CMD = x\n', '#', '😀', '\r\n', '\t', 'h(x)', 'ok(x)', 'setup(x)', '\n@mcp.tool()\ndef t(x: str):\n    return h(x)\n', '\ndef ok(p):\n    return True\n'];
const SYNTAX = ['(', '[', '{', '"""', "'''", '\\\n', '    ', 'if x:\n', 'try:\n', ')', ']'];

const randomEdit = (text: string, rnd: () => number, snippets: readonly string[]): string =>
  typingEdit(text, rnd, { snippets, anchors: /^(?:@|def |async def |class )/gm, reach: 120, insert: 0.55, remove: 0.85 });

describe('replay of the Python taint analysis: random edits of a server with shared state', () => {
  test('edits, undos, project modules appearing and changing, fixes on and off', async () => {
    const clock = freezeClock();
    try {
      await richEdits(clock);
    } finally {
      clock.restore();
    }
  });
});

/** See the test above: each version comes 6 s after the previous (every missing file is probed again). */
async function richEdits(clock: { advance(ms: number): void }): Promise<void> {
  const helpers = [undefined, 'import os\n\ndef run(c):\n    return os.system(c)\n\ndef run_it(c):\n    return eval(c)\n', 'def run(c):\n    return c\n'];
  let replayed = 0;
  for (let s = 0; s < 16; s++) {
    await newEditor();
    const rnd = prng(7000 + s);
    const snippets = s % 2 ? [...SYNTAX, ...SNIPPETS] : SNIPPETS;
    const versions = [RICH];
    const modules: (string | undefined)[] = [undefined];
    const pkg: boolean[] = [false];
    for (let i = 1; i < 24; i++) {
      const undo = rnd() < 0.08 && versions.length > 2;
      versions.push(undo ? versions[Math.floor(rnd() * versions.length)]! : randomEdit(versions[i - 1]!, rnd, snippets));
      modules.push(rnd() < 0.15 ? helpers[Math.floor(rnd() * helpers.length)] : modules[i - 1]);
      pkg.push(rnd() < 0.15 ? !pkg[i - 1] : pkg[i - 1]!);
    }
    let last = -1;
    const hostFor = (v: number): AnalysisHost => {
      if (v !== last) clock.advance(6_000);
      last = v;
      const readFile = (f: string): string | undefined => {
        if (f === '/virtual/rich/helpers.py') return modules[v];
        if (pkg[v] && f === '/virtual/rich/pkg/tools.py') return 'import os\n\ndef go(x):\n    return os.system(x)\n';
        if (pkg[v] && f === '/virtual/rich/pkg/__init__.py') return '';
        return undefined;
      };
      return { readFile };
    };
    replayed += sequence(`seed ${7000 + s}`, '/virtual/rich/server.py', versions, hostFor, (v) => (v % 3 === 0 ? [true, false] : [false]));
  }
  assert.ok(replayed > 300, `replayed ${replayed}`);
}

describe('replay of the Python taint analysis: project modules that appear', () => {
  // The engine remembers a missing module file for MISSING_TTL_MS (5 s, modules.ts), so within
  // that time neither a replay nor a full run sees a file appear: the clock is moved past it
  // between versions (Date.now only; nothing sleeps) so that the replay's re-check of the
  // imports a record found unresolved is what decides.
  test('a module file appearing, disappearing and changing under imports a tool tried to resolve', async () => {
    const clock = freezeClock();
    try {
      const mod = 'import os\n\ndef run(c):\n    return os.system(c)\n';
      const cases: [string, string, string][] = [
        ['import helpers', '    return helpers.run(x)', '/virtual/appear/helpers.py'],
        ['from . import helpers', '    return helpers.run(x)', '/virtual/appear/helpers.py'],
        ['from .helpers import run', '    return run(x)', '/virtual/appear/helpers.py'],
        ['from helpers import run', '    return run(x)', '/virtual/appear/helpers.py'],
        ['from pkg.helpers import run', '    return run(x)', '/virtual/appear/pkg/helpers.py'],
        ['from pkg import helpers', '    return helpers.run(x)', '/virtual/appear/pkg/helpers.py'],
        ['import helpers as h', '    return h.run(x)', '/virtual/appear/helpers.py'],
      ];
      const present = [false, false, true, true, false, false, true, false, true];
      let replayed = 0;
      for (const [imp, body, at] of cases) {
        await newEditor();
        const text = `import os\nfrom mcp.server.fastmcp import FastMCP\n${imp}\n\nmcp = FastMCP("x")\n` + T('a', 'A.', body) + T('b', 'B.', '    return eval(x)');
        // Edits in the other tool, then the same text again while the module comes and goes.
        const versions = present.map((_, v) => (v < 5 && v % 2 ? text.replace('B.', 'B!') : text));
        const hostFor = (v: number): AnalysisHost => {
          clock.advance(6_000);
          return { readFile: (f: string) => (!present[v] ? undefined : f === at ? mod : f.endsWith('/__init__.py') ? '' : undefined) };
        };
        replayed += sequence(imp, '/virtual/appear/app.py', versions, hostFor, () => [false]);
      }
      assert.ok(replayed > 20, `replayed ${replayed}`);
    } finally {
      clock.restore();
    }
  });
});
