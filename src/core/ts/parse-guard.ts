import * as ts from 'typescript';

/**
 * Deepest nesting of still-open `async (` / `async <T>(` parentheses that the TypeScript
 * parser will face. Its parser tries every such parenthesis first as an arrow function's
 * parameter list and, when that fails, again as a call, so the work doubles with each level
 * (measured on TypeScript 6.0, 2 shared cores: ~45 ms at 10 levels, 0.1-0.2 s at 12, ~1.3 s at 18, ~5.5 s at 20). Real code
 * never nests more than a few; a fuzzed or half-typed file can. One linear scan, no parse.
 */
export function openAsyncParenDepth(text: string): number {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, /* skipTrivia */ true, ts.LanguageVariant.Standard, text);
  const stack: boolean[] = [];
  let open = 0;
  let deepest = 0;
  let afterAsync = false; // the previous token was 'async', or 'async <...' is pending its '('
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    switch (token) {
      case ts.SyntaxKind.AsyncKeyword:
        afterAsync = true;
        continue;
      case ts.SyntaxKind.OpenParenToken:
        stack.push(afterAsync);
        if (afterAsync) deepest = Math.max(deepest, ++open);
        break;
      case ts.SyntaxKind.CloseParenToken:
        if (stack.pop()) open--;
        break;
      case ts.SyntaxKind.LessThanToken:
      case ts.SyntaxKind.GreaterThanToken:
      case ts.SyntaxKind.Identifier:
      case ts.SyntaxKind.CommaToken:
      case ts.SyntaxKind.ExtendsKeyword:
        // Type parameters between 'async' and '(' keep the arrow-function attempt alive.
        if (afterAsync) continue;
        break;
      default:
        break;
    }
    afterAsync = false;
  }
  return deepest;
}

/** Above this many open `async (` levels the parse could take seconds: the file is not parsed. */
export const MAX_OPEN_ASYNC_PARENS = 10;

/** Why a text must not be handed to the TypeScript parser, or undefined when it is safe. */
export function parseRisk(text: string): string | undefined {
  // Cheap exit for nearly every file: too few 'async' words to nest deeply.
  let occurrences = 0;
  for (let i = text.indexOf('async'); i !== -1 && occurrences <= MAX_OPEN_ASYNC_PARENS; i = text.indexOf('async', i + 5)) occurrences++;
  if (occurrences <= MAX_OPEN_ASYNC_PARENS) return undefined;
  const depth = openAsyncParenDepth(text);
  if (depth <= MAX_OPEN_ASYNC_PARENS) return undefined;
  return `not analysed: ${depth} nested 'async (' levels would make the TypeScript parser take exponential time`;
}
