/**
 * A lookup table keyed by names read from the analysed code (methods, decorators, classes,
 * programs), with no `Object.prototype` behind it. On a plain object literal `table[name]`
 * finds the prototype's members for names like `toString`, `valueOf` or `constructor`: the
 * taint analysis took `cmd.toString()` for an escaping function and dropped the taint, a
 * FastMCP `@mcp.constructor()` decorator became a registration whose analysis threw, and
 * `new constructor()` a transport named `undefined` in a message.
 */
export function nameTable<T>(entries: Readonly<Record<string, T>>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}
