import assert from 'node:assert/strict';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { before, describe, test } from 'node:test';
import type { AnalysisHost } from '../../src/core/engine';
import { Linter } from '../../src/core/linter';
import { PythonEngine } from '../../src/core/python/engine';
import { createRule, type Rule, type TaintFlow, type TaintKind } from '../../src/core/rule';
import type { FileResult } from '../../src/core/types';

/** One probe rule per taint kind; the message carries the flow so tests can read it back. */
const flows = new Map<string, TaintFlow[]>();
function probe(kind: TaintKind): Rule {
  return createRule({
    meta: {
      id: `probe-${kind}`,
      description: `Disallow ${kind} flows (test probe)`,
      cwe: [0],
      severity: 'error',
      precision: 'high',
      languages: ['python'],
    },
    taint: {
      kinds: [kind],
      message(flow) {
        const key = `${kind}`;
        flows.set(key, [...(flows.get(key) ?? []), flow]);
        return `${flow.kind} ${flow.sourceKind} '${flow.sourceName}' -> '${flow.sinkName}'`;
      },
    },
  });
}
const KINDS: TaintKind[] = ['command', 'argument', 'sql', 'path', 'timing', 'ssrf', 'code'];

let linter: Linter;
before(async () => {
  linter = await Linter.create({ rules: KINDS.map(probe), engines: [new PythonEngine()] });
});

function memoryHost(files: Record<string, string>): AnalysisHost {
  return { readFile: (f) => files[path.resolve(f)] };
}

function lint(text: string, file = '/proj/server.py', host?: AnalysisHost): FileResult {
  flows.clear();
  return linter.lintText(file, text, host ? { host } : {});
}

/** `kind@line` for every finding. */
function hits(r: FileResult): string[] {
  return r.findings.map((f) => `${f.ruleId.replace('probe-', '')}@${f.location.startLine}`);
}

const HEADER = ['import os, subprocess, requests, httpx', 'from mcp.server.fastmcp import FastMCP', 'mcp = FastMCP("t")', ''];
function tool(...body: string[]): string {
  return [...HEADER, '@mcp.tool()', 'def t(x: str, n: int = 1) -> str:', ...body.map((l) => `    ${l}`)].join('\n');
}
/** Line number of the first body line in `tool(...)`. */
const BODY = HEADER.length + 3;

describe('Python taint: ssrf and code sink tables', () => {
  const cases: [string, string[], string[]][] = [
    ['requests.get(x)', ['requests.get(x)'], ['ssrf@0']],
    ['f-string with fixed host', ['requests.get(f"https://api.example.com/items/{x}")'], []],
    ['f-string with attacker host', ['requests.get(f"https://{x}/items")'], ['ssrf@0']],
    ['host prefix without slash', ['requests.get("https://api.example.com" + x)'], ['ssrf@0']],
    ['httpx client from with', ['with httpx.Client() as c:', '    return c.get(x).text'], ['ssrf@1']],
    ['requests.request url position', ['requests.request("GET", x)'], ['ssrf@0']],
    [
      'hostname allowlist',
      ['from urllib.parse import urlparse', 'if urlparse(x).hostname not in {"api.example.com"}:', '    raise ValueError(x)', 'requests.get(x)'],
      [],
    ],
    [
      'parsed host allowlist via variable',
      ['from urllib.parse import urlparse', 'u = urlparse(x)', 'if u.hostname in ALLOWED:', '    return requests.get(x).text', 'return ""'],
      [],
    ],
    ['urlopen', ['import urllib.request', 'urllib.request.urlopen(x)'], ['ssrf@1']],
    ['eval', ['return eval(x)'], ['code@0']],
    ['exec of formatted code', ['exec(f"result = {x}")'], ['code@0']],
    ['literal_eval is safe', ['import ast', 'return ast.literal_eval(x)'], []],
    ['int parameter is not a source', ['return eval(str(n))'], []],
  ];
  for (const [name, body, expected] of cases) {
    test(name, () => {
      const r = lint(tool(...body));
      assert.deepEqual(hits(r), expected.map((e) => e.replace(/@(\d+)/, (_, d) => `@${BODY + Number(d)}`)));
    });
  }
});

describe('Python taint: flow facts for rules and fixes', () => {
  test('command flow: spans, steps source-first, data', () => {
    const text = tool('cmd = "ping " + x', 'return subprocess.run(cmd, shell=True).stdout');
    lint(text);
    const [flow] = flows.get('command')!;
    assert.ok(flow);
    assert.equal(text.slice(flow.sinkSpan.start, flow.sinkSpan.end), 'subprocess.run(cmd, shell=True)');
    assert.equal(text.slice(flow.argSpan!.start, flow.argSpan!.end), 'cmd');
    assert.deepEqual(flow.data, { callee: 'run', module: 'subprocess', promisified: false, shell: true });
    assert.deepEqual(flow.steps.map((s) => s.message), ["tool argument 'x'", "assigned to 'cmd'", "passed to 'subprocess.run'"]);
    assert.equal(flow.steps[0]!.location.startLine, BODY - 1);
  });

  test('a sink of this file reached from several tools: one finding per tool, not one for the sink', () => {
    // As in TypeScript: the finding accepted as by design (a run-any-SQL tool) must not hide
    // another tool's injection through the same helper.
    const text = [
      'import sqlite3',
      'from mcp.server.fastmcp import FastMCP',
      'mcp = FastMCP("t")',
      'conn = sqlite3.connect(":memory:")',
      'def run(sql: str):',
      '    return conn.execute(sql).fetchall()',
      '@mcp.tool()',
      'def query(sql: str) -> str:',
      '    return str(run(sql))',
      '@mcp.tool()',
      'def schema(table: str) -> str:',
      '    return str(run(f"PRAGMA table_info({table})"))',
      '@mcp.tool()',
      'def both(a: str, b: str) -> str:',
      '    return str(run(a + b))',
    ].join('\n');
    const r = lint(text);
    assert.deepEqual(hits(r), ['sql@6', 'sql@6', 'sql@6']);
    assert.deepEqual(flows.get('sql')!.map((f) => f.sourceName), ['sql', 'table', 'a']);
  });

  test('argument flow names the program and argv index', () => {
    lint(tool('subprocess.run(["git", "log", x])'));
    const [flow] = flows.get('argument')!;
    assert.deepEqual(flow!.data, { program: 'git', argIndex: 2 });
  });

  test('sql flow names the driver and its placeholder', () => {
    lint(['import asyncpg', ...tool('return conn.fetch(f"SELECT * FROM t WHERE a = \'{x}\'")').split('\n')].join('\n'));
    const [flow] = flows.get('sql')!;
    assert.equal(flow!.data!.driver, 'asyncpg');
    assert.equal(flow!.data!.placeholder, '$1');
  });

  test('path flow carries the broken guard', () => {
    const text = tool('p = os.path.realpath(x)', 'if p.startswith("/srv"):', '    return open(p).read()', 'return ""');
    lint(text);
    const [flow] = flows.get('path')!;
    const guard = flow!.data!.guard as { start: number; end: number };
    assert.equal(text.slice(guard.start, guard.end), 'p.startswith("/srv")');
    assert.match(String(flow!.data!.reason), /no trailing separator/);
  });

  test('a literal prefix naming no directory is no check: no reason given', () => {
    // wcgw's `expand_user`: `startswith("~")` decides whether to expand the home directory.
    const text = tool('p = os.path.normpath(x)', 'if p.startswith("~"):', '    p = os.path.expanduser(p)', 'return open(p).read()');
    lint(text);
    const [flow] = flows.get('path')!;
    assert.equal(flow!.data?.reason, undefined);
  });

  test('a source checked before it is joined with an unchecked one is not reported with it', () => {
    const text = [
      ...HEADER,
      'import re',
      'def name_error(name):',
      '    if not re.fullmatch(r"[a-z0-9-]+", name):',
      '        return "invalid"',
      '@mcp.tool()',
      'def t(root: str, name: str, other: str) -> str:',
      '    err = name_error(name)',
      '    if err:',
      '        return err',
      '    open(os.path.join(root, f"{name}.yaml")).read()',
      // `other` is checked on one path only: still a source on the join.
      '    o = other if re.fullmatch(r"[a-z]+", other) else other + ""',
      '    return open(os.path.join("/srv", name, o)).read()',
    ].join('\n');
    lint(text);
    assert.deepEqual(
      flows.get('path')!.map((f) => `${f.sourceName}@${text.slice(0, f.sinkSpan.start).split('\n').length}`),
      ['root@14', 'other@16'],
    );
  });

  test('timing flow: whole comparison, attacker operand, secret name', () => {
    const text = tool('if x == os.environ["API_TOKEN"]:', '    return "ok"', 'return "no"');
    lint(text);
    const [flow] = flows.get('timing')!;
    assert.equal(text.slice(flow!.sinkSpan.start, flow!.sinkSpan.end), 'x == os.environ["API_TOKEN"]');
    assert.equal(text.slice(flow!.argSpan!.start, flow!.argSpan!.end), 'x');
    assert.deepEqual(flow!.data, { secretName: 'API_TOKEN', operator: '==' });
  });
});

describe('Python taint: imported local modules', () => {
  const files = {
    '/proj/pkg/__init__.py': '',
    '/proj/pkg/server.py': [
      'from mcp.server.fastmcp import FastMCP',
      'from .util import run_cmd',
      'from . import db',
      'mcp = FastMCP("pkg")',
      '@mcp.tool()',
      'def a(x: str) -> str:',
      '    return run_cmd("ls " + x)',
      '@mcp.tool()',
      'def b(x: str) -> list:',
      '    return db.find(x)',
      '@mcp.tool()',
      'def c() -> str:',
      '    return run_cmd("uptime")',
    ].join('\n'),
    '/proj/pkg/util.py': ['import subprocess', 'def run_cmd(c):', '    return subprocess.getoutput(c)'].join('\n'),
    '/proj/pkg/db.py': ['import sqlite3', 'conn = sqlite3.connect("x")', 'def find(name):', '    return conn.execute("SELECT * FROM t WHERE n = \'%s\'" % name).fetchall()'].join('\n'),
  };
  const host = memoryHost(files);

  test('flows into sibling modules are reported at the call in the analysed file', () => {
    const r = lint(files['/proj/pkg/server.py'], '/proj/pkg/server.py', host);
    assert.deepEqual(hits(r), ['command@7', 'sql@10']);
    const [cmd] = flows.get('command')!;
    const last = cmd!.steps[cmd!.steps.length - 1]!;
    assert.equal(last.location.file, '/proj/pkg/util.py');
    assert.equal(last.location.startLine, 3);
    assert.equal(cmd!.data!.sinkFile, '/proj/pkg/util.py');
  });

  test('the helper module alone has no findings', () => {
    assert.deepEqual(hits(lint(files['/proj/pkg/util.py'], '/proj/pkg/util.py', host)), []);
  });

  test('a missing module is not an error', () => {
    const r = lint(files['/proj/pkg/server.py'], '/proj/pkg/server.py', memoryHost({}));
    assert.deepEqual(hits(r), []);
    assert.deepEqual(r.problems, []);
  });

  test('a handler imported from a module: reported at the argument that registers it, with its steps in the module', () => {
    const modules: Record<string, string> = {
      '/proj/app/__init__.py': '',
      '/proj/app/handlers.py': [
        'import subprocess',
        'from .util import run_cmd',
        'def grep(pattern: str, count: int = 5) -> str:',
        '    return subprocess.getoutput(f"grep -m {count} -rn {pattern} .")',
        'def tail(file: str) -> str:',
        '    return run_cmd("tail " + file)',
        'def uptime(fmt: str) -> str:',
        '    return subprocess.getoutput("uptime")',
      ].join('\n'),
      '/proj/app/util.py': ['import subprocess', 'def run_cmd(c):', '    return subprocess.getoutput(c)'].join('\n'),
    };
    const text = [
      'from mcp.server.fastmcp import FastMCP',
      'from .handlers import grep, uptime',
      'from . import handlers',
      'mcp = FastMCP("app")',
      'mcp.tool(name="search")(grep)',
      'mcp.add_tool(grep)',
      'mcp.add_tool(handlers.tail)',
      'mcp.add_tool(uptime)',
    ].join('\n');
    const moduleHost = memoryHost(modules);
    const r = lint(text, '/proj/app/server.py', moduleHost);
    // grep is reported once, at its first registration; tail through a helper of its module.
    assert.deepEqual(hits(r), ['command@5', 'command@7']);
    const [grep, tail] = flows.get('command')!;
    assert.equal(text.slice(grep!.sinkSpan.start, grep!.sinkSpan.end), 'grep');
    assert.deepEqual(
      grep!.steps.map((s) => [path.basename(s.location.file), s.location.startLine, s.message]),
      [
        ['handlers.py', 3, "tool argument 'pattern'"],
        ['server.py', 5, "passed to 'grep'"],
        ['handlers.py', 4, "passed to 'subprocess.getoutput'"],
      ],
    );
    assert.equal(grep!.data!.sinkFile, '/proj/app/handlers.py');
    assert.equal(text.slice(tail!.sinkSpan.start, tail!.sinkSpan.end), 'handlers.tail');
    assert.deepEqual(tail!.steps.map((s) => [path.basename(s.location.file), s.location.startLine]).at(-1), ['util.py', 3]);
    // The module linted alone declares no tool; an edit of the server keeps the findings.
    assert.deepEqual(hits(lint(modules['/proj/app/handlers.py']!, '/proj/app/handlers.py', moduleHost)), []);
    assert.deepEqual(hits(lint(`${text}\n# edited`, '/proj/app/server.py', moduleHost)), ['command@5', 'command@7']);
  });
});

describe('Python taint: one finding per sink and entry point', () => {
  test('a sink two entry points reach is reported for each; two sources of one entry point once', () => {
    const text = [
      ...HEADER,
      'def fetch(url):',
      '    return httpx.get(url).text',
      '@mcp.tool()',
      'def page(url: str) -> str:',
      '    return fetch(url)',
      '@mcp.prompt()',
      'def summarise(url: str) -> str:',
      '    return fetch(url)',
      '@mcp.tool()',
      'def both(a: str, b: str) -> str:',
      '    return open(a + b).read()',
    ].join('\n');
    const r = lint(text);
    assert.deepEqual(hits(r), ['ssrf@6', 'ssrf@6', 'path@15']);
    assert.deepEqual(
      r.findings.map((f) => f.message),
      ["ssrf tool argument 'url' -> 'httpx.get'", "ssrf prompt argument 'url' -> 'httpx.get'", "path tool argument 'a' -> 'open'"],
    );
  });

  test('a call into an imported module is reported once per sink there, whatever its sources', () => {
    // Each sink of the helper module is reported at the call, as if it were in the file; two
    // arguments reaching one sink the same way are one finding.
    const files = {
      '/proj/pkg/__init__.py': '',
      '/proj/pkg/store.py': [
        'import os',
        'def save(folder, name, body):',
        '    os.makedirs(folder, exist_ok=True)',
        '    with open(os.path.join(folder, name + ".tmp"), "w") as f:',
        '        f.write(body)',
        '    os.replace(os.path.join(folder, name + ".tmp"), os.path.join(folder, name))',
      ].join('\n'),
    };
    const text = [
      'from mcp.server.fastmcp import FastMCP',
      'from .store import save',
      'mcp = FastMCP("pkg")',
      '@mcp.tool()',
      'def keep(folder: str, name: str, body: str) -> str:',
      '    save(folder, name, body)',
      '    return "ok"',
    ].join('\n');
    const r = lint(text, '/proj/pkg/server.py', memoryHost(files));
    assert.deepEqual(hits(r), ['path@6', 'path@6', 'path@6']);
    assert.deepEqual(
      flows.get('path')!.map((f) => f.steps.at(-1)!.location.startLine),
      [3, 4, 6],
    );
    // The message names the module the path runs through.
    assert.match(r.findings[0]!.message, /\(through store\.py\)\.$/);
  });

  test('tools behind one dispatching call are each reported, though they reach one sink', () => {
    const files = {
      '/proj/pkg/__init__.py': '',
      '/proj/pkg/tools/__init__.py': '',
      '/proj/pkg/tools/status.py': ['from ..shell import run', 'def handle(args):', '    return run("git status " + args["path"])'].join('\n'),
      '/proj/pkg/tools/log.py': ['from ..shell import run', 'def handle(args):', '    return run("git log " + args["path"])'].join('\n'),
      '/proj/pkg/shell.py': ['import subprocess', 'def run(cmd):', '    return subprocess.getoutput(cmd)'].join('\n'),
      '/proj/pkg/dispatch.py': [
        'from .tools import status, log',
        'def dispatch(name, args):',
        '    if name == "status":',
        '        return status.handle(args)',
        '    return log.handle(args)',
      ].join('\n'),
    };
    const text = [
      'from mcp.server import Server',
      'from .dispatch import dispatch',
      'server = Server("pkg")',
      '@server.call_tool()',
      'async def call(name: str, arguments: dict):',
      '    return dispatch(name, arguments)',
    ].join('\n');
    const r = lint(text, '/proj/pkg/server.py', memoryHost(files));
    assert.deepEqual(hits(r), ['command@6', 'command@6']);
    // The messages name the files each path runs through, so that they read apart.
    assert.deepEqual(r.findings.map((f) => f.message.match(/\(through (.*)\)\.$/)?.[1]).sort(), ['dispatch.py, tools/log.py', 'dispatch.py, tools/status.py']);
  });
  test('findings at one call whose messages would read the same name their sinks\' files', () => {
    // Two helper modules, each opening the argument's path, reached by one call through the same
    // module: the messages would be equal (same sink name, source and path of modules), so
    // each names its sink's file rather than one hiding the other.
    const files = {
      '/proj/pkg/__init__.py': '',
      '/proj/pkg/notes.py': ['def read(p):', '    with open(p) as f:', '        return f.read()'].join('\n'),
      '/proj/pkg/drafts.py': ['def read(p):', '    with open(p + ".draft") as f:', '        return f.read()'].join('\n'),
      '/proj/pkg/route.py': [
        'from . import notes, drafts',
        'def route(kind, path):',
        '    if kind == "note":',
        '        return notes.read(path)',
        '    return drafts.read(path)',
      ].join('\n'),
    };
    const text = [
      'from mcp.server.fastmcp import FastMCP',
      'from .route import route',
      'mcp = FastMCP("pkg")',
      '@mcp.tool()',
      'def read(kind: str, path: str) -> str:',
      '    return route(kind, path)',
    ].join('\n');
    const r = lint(text, '/proj/pkg/server.py', memoryHost(files));
    assert.deepEqual(hits(r), ['path@6', 'path@6']);
    assert.deepEqual(r.findings.map((f) => f.message.match(/\(through (.*)\)\.$/)?.[1]).sort(), ['route.py; sink in drafts.py', 'route.py; sink in notes.py']);
  });
});

describe('Python engine robustness', () => {
  test('syntax errors: the statements that parse are still analysed', () => {
    const text = [
      ...HEADER,
      '@mcp.tool()',
      'def broken(x: str) -> str:',
      '    return subprocess.getoutput("a" + (x',
      '',
      '@mcp.tool()',
      'def fine(x: str) -> str:',
      '    return subprocess.getoutput("a" + x)',
    ].join('\n');
    const r = lint(text);
    assert.deepEqual(hits(r), [`command@${HEADER.length + 7}`]);
    assert.equal(r.problems[0]?.kind, 'parse-error');
  });

  test('never throws on odd input', () => {
    const inputs = ['', '\0\0\0', 'def', '@mcp.tool(\n', ')))(((', 'x = """', '\ufeffimport os\n', 'if True:\n\tpass\n        pass\n', 'é'.repeat(1000)];
    for (const text of inputs) {
      const r = lint(text);
      assert.ok(Array.isArray(r.findings));
      assert.ok(!r.problems.some((p) => p.kind === 'internal-error'), `${JSON.stringify(text)}: ${JSON.stringify(r.problems)}`);
    }
  });

  test('deep expressions do not crash the analysis', () => {
    const chain = Array.from({ length: 3000 }, (_, i) => `"p${i}"`).join(' + ');
    const r = lint(tool(`cmd = ${chain} + x`, 'return subprocess.getoutput(cmd)'));
    assert.ok(!r.problems.some((p) => p.kind === 'internal-error'), JSON.stringify(r.problems));
  });

  test('an exhausted time budget is a timeout problem, not an exception', () => {
    const body = Array.from({ length: 400 }, (_, i) => `v${i} = x + "${i}"`);
    const engine = new PythonEngine();
    return engine.init().then(() => {
      const out = engine.analyze({ file: '/p/s.py', text: tool(...body, 'os.system(v399)'), language: 'python' }, KINDS.map(probe), {
        host: memoryHost({}),
        deadline: performance.now() - 1,
      });
      assert.ok(out.problems.some((p) => p.kind === 'timeout'));
    });
  });
});
