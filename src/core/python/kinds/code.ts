/** Dynamic code execution sinks (kind `code`). Data only. */
export const CODE_SINKS: readonly { readonly functions: readonly string[]; readonly arg: number }[] = [
  { functions: ['eval', 'exec', 'compile', 'builtins.eval', 'builtins.exec', 'builtins.compile'], arg: 0 },
];
