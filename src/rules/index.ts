import type { Rule } from '../core/rule';
import noCommandInjection from './no-command-injection';
import noPathTraversal from './no-path-traversal';
import noSqlStringBuilding from './no-sql-string-building';
import noTimingUnsafeCompare from './no-timing-unsafe-compare';

/** Every rule, in alphabetical order of id. */
export const allRules: readonly Rule[] = [
  noCommandInjection,
  noPathTraversal,
  noSqlStringBuilding,
  noTimingUnsafeCompare,
];

export function ruleById(id: string): Rule | undefined {
  return allRules.find((r) => r.meta.id === id);
}
