import { createRule } from '../core/rule';

/**
 * Reported by the linter itself (src/core/suppressions.ts), not by an engine: a suppression
 * directive without a reason, without rule ids, or naming a rule that does not exist.
 */
export default createRule({
  meta: {
    id: 'invalid-suppression',
    description: 'Require every mcp-warden suppression directive to name existing rules and give a reason',
    cwe: [710],
    severity: 'warning',
    precision: 'very-high',
    languages: ['typescript', 'javascript', 'python'],
    tags: ['maintainability'],
  },
});
