import { sqlFixes } from '../core/fixes/rules';
import { createRule } from '../core/rule';

export default createRule({
  meta: {
    id: 'no-sql-string-building',
    description: 'Disallow SQL statements built from MCP tool input by string concatenation or formatting',
    cwe: [89],
    severity: 'error',
    precision: 'high',
    languages: ['typescript', 'javascript', 'python'],
    fixable: 'suggestion',
  },
  taint: {
    kinds: ['sql'],
    message(flow) {
      return `This SQL statement passed to '${flow.sinkName}' is built from the ${flow.sourceKind} '${flow.sourceName}'.`;
    },
    fix: sqlFixes,
  },
});
