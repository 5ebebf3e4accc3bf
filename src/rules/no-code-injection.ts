import { createRule } from '../core/rule';

export default createRule({
  meta: {
    id: 'no-code-injection',
    description: 'Disallow evaluating code built from MCP tool input',
    cwe: [94],
    severity: 'error',
    precision: 'high',
    languages: ['typescript', 'javascript', 'python'],
    tags: ['mcp'],
  },
  taint: {
    kinds: ['code'],
    message(flow) {
      return `The code evaluated by '${flow.sinkName}' depends on the ${flow.sourceKind} '${flow.sourceName}'.`;
    },
  },
});
