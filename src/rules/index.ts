import type { Rule } from '../core/rule';
import invalidSuppression from './invalid-suppression';
import noCodeInjection from './no-code-injection';
import noCommandInjection from './no-command-injection';
import noHardcodedSecret from './no-hardcoded-secret';
import noPathTraversal from './no-path-traversal';
import noSecretInLogs from './no-secret-in-logs';
import noSecretInToolOutput from './no-secret-in-tool-output';
import noSqlStringBuilding from './no-sql-string-building';
import noSsrf from './no-ssrf';
import noStdoutInStdioServer from './no-stdout-in-stdio-server';
import noTimingUnsafeCompare from './no-timing-unsafe-compare';
import noTokenPassthrough from './no-token-passthrough';
import noToolDescriptionPoisoning from './no-tool-description-poisoning';
import requireHttpAuth from './require-http-auth';
import requireOriginValidation from './require-origin-validation';
import requireSecureSessionId from './require-secure-session-id';
import unusedSuppression from './unused-suppression';

/** Every rule, in alphabetical order of id. */
export const allRules: readonly Rule[] = [
  invalidSuppression,
  noCodeInjection,
  noCommandInjection,
  noHardcodedSecret,
  noPathTraversal,
  noSecretInLogs,
  noSecretInToolOutput,
  noSqlStringBuilding,
  noSsrf,
  noStdoutInStdioServer,
  noTimingUnsafeCompare,
  noTokenPassthrough,
  noToolDescriptionPoisoning,
  requireHttpAuth,
  requireOriginValidation,
  requireSecureSessionId,
  unusedSuppression,
];

export function ruleById(id: string): Rule | undefined {
  return allRules.find((r) => r.meta.id === id);
}
