import { timingFixes } from '../core/fixes/rules';
import { createRule } from '../core/rule';

export default createRule({
  meta: {
    id: 'no-timing-unsafe-compare',
    description: 'Disallow comparing secrets with attacker-controlled values by non-constant-time operators',
    cwe: [208],
    severity: 'warning',
    precision: 'high',
    languages: ['typescript', 'javascript', 'python'],
    fixable: 'suggestion',
  },
  taint: {
    kinds: ['timing'],
    message(flow) {
      const secret = typeof flow.data?.secretName === 'string' ? flow.data.secretName : 'a secret';
      return `The secret '${secret}' is compared with the ${flow.sourceKind} '${flow.sourceName}' by '${flow.sinkName}', which is not constant-time.`;
    },
    fix: timingFixes,
  },
});
