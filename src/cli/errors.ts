/** A problem with how the CLI was called: printed as one line, exit code 2. */
export class UsageError extends Error {}

/** Exit codes of the CLI contract (shared/DESIGN.md). */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
