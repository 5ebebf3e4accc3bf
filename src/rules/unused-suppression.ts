import { createRule } from '../core/rule';

/**
 * Reported by the linter itself (src/core/suppressions.ts): a rule listed in a suppression
 * directive that had no finding to suppress, so the directive only hides future problems.
 */
export default createRule({
  meta: {
    id: 'unused-suppression',
    description: 'Disallow suppression directives that suppress no finding',
    cwe: [561],
    severity: 'note',
    precision: 'very-high',
    languages: ['typescript', 'javascript', 'python'],
    fixable: 'fix',
    tags: ['maintainability'],
  },
});
