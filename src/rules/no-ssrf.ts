import { createRule } from '../core/rule';

export default createRule({
  meta: {
    id: 'no-ssrf',
    description: 'Disallow outgoing requests to URLs built from MCP tool input without a host allowlist',
    cwe: [918],
    severity: 'error',
    precision: 'high',
    languages: ['typescript', 'javascript', 'python'],
    tags: ['mcp'],
  },
  taint: {
    kinds: ['ssrf'],
    message(flow) {
      return `The URL requested by '${flow.sinkName}' depends on the ${flow.sourceKind} '${flow.sourceName}'.`;
    },
  },
});
