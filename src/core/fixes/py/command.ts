import type { PyNode } from '../../python/ast';
import type { TaintFlow } from '../../rule';
import type { FixProposal, TextEdit } from '../../types';
import { ensurePyImport, type PyFixFile } from '../py-imports';
import { END_OF_OPTIONS, literalWord, markerIndex, programName, splitShellWords, type Piece, type Word } from '../shell';
import { quotePy } from '../style';
import { callArgs, kids, pyCallAt, pyLocalAssignment, pyFString, pySegmentsOf, pySite, removeKeyword, replacePyNode, type PyFixSite } from './common';

/** Shells whose `-c` script can be replaced by the argument list it runs. */
export const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh']);

const SUBPROCESS_FUNCS: ReadonlySet<string> = new Set(['run', 'call', 'check_call', 'check_output', 'Popen']);

/**
 * Fixes for `no-command-injection` flows in Python:
 * - `subprocess.run(f"git log {ref}", shell=True)` -> `subprocess.run(["git", "log", "--end-of-options", ref])`
 *   (also call/check_call/check_output/Popen);
 * - `os.system(cmd)` -> `subprocess.run([...]).returncode`, `os.popen(cmd).read()` ->
 *   `subprocess.run([...], capture_output=True, text=True).stdout`;
 * - `asyncio.create_subprocess_shell(cmd)` -> `asyncio.create_subprocess_exec(*[...])` form;
 * - kind `argument`: the end-of-options marker before the first user value in an argv list.
 * Suggestions (no shell any more), preferred.
 */
export function pyCommandFixes(flow: TaintFlow, f: PyFixFile): FixProposal[] {
  const site = pySite(flow, f);
  if (!site) return [];
  const call = pyCallAt(site.sink);
  if (!call) return [];
  // A command line for a shell on a device or a remote host (`adb shell`, `ssh`): no local rewrite removes that shell.
  if (flow.data?.remote !== undefined) return [];
  return flow.kind === 'argument' ? argumentFix(site, call) : commandFix(site, call);
}

function render(site: PyFixSite, w: Word<PyNode>): string {
  const lit = literalWord(w);
  if (lit !== undefined) return quotePy(lit, site.style);
  if (w.length === 1 && 'value' in w[0]!) return w[0].value.text;
  return pyFString(w.map((p) => ('text' in p ? { text: p.text } : { code: p.value.text })), site.style.quote);
}

function argv(site: PyFixSite, cmd: PyNode): string[] | undefined {
  const segs = pySegmentsOf(cmd) ?? (() => {
    const init = pyLocalAssignment(cmd);
    return init ? pySegmentsOf(init) : undefined;
  })();
  if (!segs || !segs.some((s) => 'expr' in s)) return undefined;
  const pieces: Piece<PyNode>[] = segs.map((s) => ('text' in s ? { text: s.text } : { value: s.expr }));
  const words = splitShellWords(pieces);
  if (!words || words.length === 0) return undefined;
  const program = literalWord(words[0]!);
  if (!program) return undefined;
  const args = words.slice(1);
  const rendered = [quotePy(program, site.style), ...args.map((w) => render(site, w))];
  const at = markerIndex(program, args.map((w) => w.some((p) => 'value' in p)), args.map((w) => literalWord(w)));
  if (at !== undefined) rendered.splice(at + 1, 0, quotePy(END_OF_OPTIONS[programName(program)]!, site.style));
  return rendered;
}

function calleeParts(call: PyNode): { object: string | undefined; name: string } | undefined {
  const fn = call.child('function');
  if (!fn) return undefined;
  if (fn.type === 'identifier') return { object: undefined, name: fn.text };
  if (fn.type === 'attribute') return { object: fn.child('object')?.text, name: fn.child('attribute')?.text ?? '' };
  return undefined;
}

function commandFix(site: PyFixSite, call: PyNode): FixProposal[] {
  const callee = calleeParts(call);
  if (!callee) return [];
  const { positional, keywords, list } = callArgs(call);
  const cmd = positional[0] ?? keywords.get('args')?.child('value') ?? undefined;
  if (!cmd || !list) return [];
  const edits: TextEdit[] = [];

  if (SUBPROCESS_FUNCS.has(callee.name)) {
    const shellKw = keywords.get('shell');
    if (cmd.type === 'list') {
      // ["sh", "-c", f"git log {ref}"]: the script becomes the argument list itself.
      const items = kids(cmd).filter((e) => e.type !== 'comment');
      const shellName = items[0]?.type === 'string' ? items[0].text.slice(1, -1) : '';
      if (items.length === 3 && SHELLS.has(programName(shellName)) && /^["']-c["']$/.test(items[1]!.text)) {
        const words = argv(site, items[2]!);
        if (!words) return [];
        edits.push(replacePyNode(site, cmd, `[${words.join(', ')}]`));
        if (shellKw) edits.push(removeKeyword(site, list, shellKw));
        return [{ kind: 'suggestion', title: `Run the command without '${shellName} -c'`, edits, preferred: true }];
      }
      if (!shellKw) return [];
      edits.push(removeKeyword(site, list, shellKw));
      return [{ kind: 'suggestion', title: `Run '${callee.name}' without a shell`, edits, preferred: true }];
    }
    const words = argv(site, cmd);
    if (!words) return [];
    edits.push(replacePyNode(site, cmd, `[${words.join(', ')}]`));
    if (shellKw) edits.push(removeKeyword(site, list, shellKw));
    return [{ kind: 'suggestion', title: `Pass an argument list to '${callee.name}' without a shell`, edits, preferred: true }];
  }

  if (callee.object === 'os' && (callee.name === 'system' || callee.name === 'popen')) {
    const words = argv(site, cmd);
    if (!words) return [];
    const imp = ensurePyImport(site.f, site.offsets, 'subprocess', 'run', site.style);
    edits.push(...imp.edits);
    if (callee.name === 'system') {
      edits.push(replacePyNode(site, call, `${imp.ref}([${words.join(', ')}]).returncode`));
      return [{ kind: 'suggestion', title: "Replace 'os.system' with 'subprocess.run' and an argument list", edits, preferred: true }];
    }
    // os.popen(cmd).read() is the common shape; the file object itself has no drop-in equivalent.
    const parent = call.parent;
    const grand = parent?.parent;
    if (parent?.type === 'attribute' && parent.child('attribute')?.text === 'read' && grand?.type === 'call' && kids(grand.child('arguments')!).length === 0) {
      edits.push(replacePyNode(site, grand, `${imp.ref}([${words.join(', ')}], capture_output=True, text=True).stdout`));
      return [{ kind: 'suggestion', title: "Replace 'os.popen' with 'subprocess.run' and an argument list", edits, preferred: true }];
    }
    return [];
  }

  if (callee.name === 'create_subprocess_shell') {
    const words = argv(site, cmd);
    if (!words) return [];
    const fn = call.child('function')!;
    const newFn = fn.text.replace(/create_subprocess_shell$/, 'create_subprocess_exec');
    edits.push(replacePyNode(site, fn, newFn));
    edits.push(replacePyNode(site, cmd, words.join(', ')));
    return [{ kind: 'suggestion', title: "Use 'create_subprocess_exec' with separate arguments", edits, preferred: true }];
  }
  return [];
}

function argumentFix(site: PyFixSite, call: PyNode): FixProposal[] {
  const { positional, keywords } = callArgs(call);
  const arr = positional[0] ?? keywords.get('args')?.child('value') ?? undefined;
  if (!arr || arr.type !== 'list') return [];
  const els = kids(arr).filter((e) => e.type !== 'comment');
  const plain = (e: PyNode) => (e.type === 'string' && !/^[a-zA-Z]*f/i.test(e.text) ? e.text.slice(1, -1) : undefined);
  const program = els[0] && plain(els[0]);
  if (!program) return [];
  const rest = els.slice(1);
  const at = markerIndex(program, rest.map((e) => plain(e) === undefined), rest.map(plain));
  if (at === undefined) return [];
  const marker = END_OF_OPTIONS[programName(program)]!;
  const pos = site.offsets.toChar(rest[at]!.start);
  return [
    {
      kind: 'suggestion',
      title: `Insert '${marker}' before the first user value`,
      edits: [{ file: site.f.file, span: { start: pos, end: pos }, text: `${quotePy(marker, site.style)}, ` }],
      preferred: true,
    },
  ];
}
