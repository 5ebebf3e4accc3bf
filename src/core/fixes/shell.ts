/**
 * Splitting a shell command built from literal text and interpolated values into an argument
 * vector, for rewrites from `exec(cmd)` / `shell=True` to an argv call without a shell. Only
 * commands whose meaning is plain word splitting are converted: any operator, redirection,
 * substitution, glob or escape outside quotes makes the split refuse (the rewrite would change
 * what runs, so no fix is offered).
 */
import { nameTable } from '../tables';

/** Literal text or an interpolated value (opaque to the splitter). */
export type Piece<E> = { readonly text: string } | { readonly value: E };

/** One argv word: the literal text and values it is made of, in order. */
export type Word<E> = readonly Piece<E>[];

const UNQUOTED_SPECIAL = /[|&;<>()$`\\*?[\]{}~#!]/;
const DOUBLE_QUOTED_SPECIAL = /[$`\\!]/;

/**
 * Word-splits pieces like a POSIX shell would for simple commands: whitespace separates words,
 * single and double quotes group (and are removed), interpolated values are never split (the
 * rewritten call passes each value as one argument, which is the safe reading). Undefined when
 * the text uses shell syntax beyond that.
 */
export function splitShellWords<E>(pieces: readonly Piece<E>[]): Word<E>[] | undefined {
  const words: Piece<E>[][] = [];
  let cur: Piece<E>[] | undefined;
  let quote: "'" | '"' | undefined;
  const push = (p: Piece<E>) => {
    cur ??= [];
    const last = cur[cur.length - 1];
    if ('text' in p && last && 'text' in last) cur[cur.length - 1] = { text: last.text + p.text };
    else cur.push(p);
  };
  for (const p of pieces) {
    if ('value' in p) {
      push(p);
      continue;
    }
    for (const ch of p.text) {
      if (quote) {
        if (ch === quote) quote = undefined;
        else if (quote === '"' && DOUBLE_QUOTED_SPECIAL.test(ch)) return undefined;
        else push({ text: ch });
      } else if (ch === "'" || ch === '"') {
        quote = ch;
        cur ??= []; // '' is an (empty) word
      } else if (/\s/.test(ch)) {
        if (cur) words.push(cur);
        cur = undefined;
      } else if (UNQUOTED_SPECIAL.test(ch)) {
        return undefined;
      } else {
        push({ text: ch });
      }
    }
  }
  if (quote) return undefined;
  if (cur) words.push(cur);
  return words;
}

/** Whether a word is entirely literal text (then `text` is its value). */
export function literalWord<E>(w: Word<E>): string | undefined {
  if (w.length === 0) return '';
  if (w.length === 1 && 'text' in w[0]!) return w[0].text;
  return undefined;
}

/**
 * Programs that parse options anywhere in argv, and the marker that ends option parsing for
 * them (`git` treats `--` as "paths follow", so it gets `--end-of-options`, git >= 2.24).
 */
export const END_OF_OPTIONS: Readonly<Record<string, string>> = nameTable({
  git: '--end-of-options',
  hg: '--',
  kubectl: '--',
  helm: '--',
  docker: '--',
  podman: '--',
  npm: '--',
  grep: '--',
  rg: '--',
  ls: '--',
  cat: '--',
  rm: '--',
  cp: '--',
  mv: '--',
  tar: '--',
  ssh: '--',
  scp: '--',
  rsync: '--',
  curl: '--',
  wget: '--',
  gh: '--',
  touch: '--',
  mkdir: '--',
  chmod: '--',
  head: '--',
  tail: '--',
  wc: '--',
});

/** Programs whose first argument is a subcommand. */
const SUBCOMMANDS: ReadonlySet<string> = new Set(['git', 'hg', 'kubectl', 'helm', 'docker', 'podman', 'npm', 'gh']);

/** The program's name without folder and `.exe`, as END_OF_OPTIONS keys it. */
export function programName(program: string): string {
  return program.replace(/^.*[\\/]/, '').replace(/\.exe$/i, '').toLowerCase();
}

/**
 * Where to put the end-of-options marker in an argv (index into `args`, the words after the
 * program), or undefined when not needed or not safe: the first word holding a value must come
 * after the subcommand, no marker may be there already, and no literal option may follow it
 * (it would turn into an operand).
 */
export function markerIndex(program: string, isValue: readonly boolean[], literal: readonly (string | undefined)[]): number | undefined {
  const first = isValue.indexOf(true);
  if (first < 0 || END_OF_OPTIONS[programName(program)] === undefined) return undefined;
  // A value in the subcommand position (`git ${cmd}`) is not an option argument: leave it.
  if (first === 0 && SUBCOMMANDS.has(programName(program))) return undefined;
  if (literal.slice(0, first).some((l) => l === '--' || l === '--end-of-options')) return undefined;
  if (literal.slice(first).some((l, i) => !isValue[first + i] && l !== undefined && l.startsWith('-'))) return undefined;
  return first;
}
