import { UsageError } from './errors';
import type { CliIo } from './lint';

// TODO(#7): the harness lands with issue 7; until then the command is a usage error.
export async function runHarnessCommand(_argv: readonly string[], _io: CliIo): Promise<number> {
  throw new UsageError('the harness is not part of this build yet');
}
