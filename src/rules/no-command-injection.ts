import { commandInjectionFixes } from '../core/fixes/rules';
import { createRule } from '../core/rule';

export default createRule({
  meta: {
    id: 'no-command-injection',
    description: 'Disallow shell commands and command-line options built from MCP tool input',
    cwe: [78, 88],
    severity: 'error',
    precision: 'high',
    languages: ['typescript', 'javascript', 'python'],
    fixable: 'suggestion',
  },
  taint: {
    kinds: ['command', 'argument'],
    message(flow) {
      if (flow.kind === 'argument') {
        return `The ${flow.sourceKind} '${flow.sourceName}' can start with '-' and is passed as an option to '${flow.sinkName}'.`;
      }
      // `adb shell <words>`, `ssh <host> <words>`: a shell on the device or the remote host runs the words.
      if (typeof flow.data?.remote === 'string' && typeof flow.data.runner === 'string') {
        return `The command line that '${flow.data.runner}' runs in a shell on ${flow.data.remote} (through '${flow.sinkName}') depends on the ${flow.sourceKind} '${flow.sourceName}'.`;
      }
      // No shell involved (`subprocess.run([prog, ...])`, `shlex.split(cmd)`): the client picks the program itself.
      return flow.data?.shell === false
        ? `The command run by '${flow.sinkName}' depends on the ${flow.sourceKind} '${flow.sourceName}'.`
        : `This shell command passed to '${flow.sinkName}' depends on the ${flow.sourceKind} '${flow.sourceName}'.`;
    },
    fix: commandInjectionFixes,
  },
});
