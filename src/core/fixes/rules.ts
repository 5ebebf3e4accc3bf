/**
 * Fix builders of the core taint rules, one object per rule, ready for `rule.taint.fix`.
 * Each builder returns at most one preferred suggestion and nothing when no rewrite is safe.
 */
import { pyCommandFixes } from './py/command';
import { pyPathFixes } from './py/path';
import { pySqlFixes } from './py/sql';
import { pyTimingFixes } from './py/timing';
import { tsCommandFixes } from './ts/command';
import { tsPathFixes } from './ts/path';
import { tsSqlFixes } from './ts/sql';
import { tsTimingFixes } from './ts/timing';

export const commandInjectionFixes = { typescript: tsCommandFixes, python: pyCommandFixes };
export const sqlFixes = { typescript: tsSqlFixes, python: pySqlFixes };
export const pathTraversalFixes = { typescript: tsPathFixes, python: pyPathFixes };
export const timingFixes = { typescript: tsTimingFixes, python: pyTimingFixes };
