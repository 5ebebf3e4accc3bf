import { pathTraversalFixes } from '../core/fixes/rules';
import { createRule } from '../core/rule';

export default createRule({
  meta: {
    id: 'no-path-traversal',
    description: 'Disallow file system paths from MCP tool input that are not confined to an allowed root',
    cwe: [22],
    severity: 'error',
    precision: 'high',
    languages: ['typescript', 'javascript', 'python'],
    fixable: 'suggestion',
  },
  taint: {
    kinds: ['path'],
    message(flow) {
      const why = typeof flow.data?.reason === 'string' ? ` ${flow.data.reason}` : '';
      return `The path passed to '${flow.sinkName}' depends on the ${flow.sourceKind} '${flow.sourceName}'.${why}`.trim();
    },
    fix: pathTraversalFixes,
  },
});
