import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INTERRUPT_BUDGET, tuneTiering } from '../../src/cli/launch';

test('the launcher leaves an interrupt budget the user gave Node alone', () => {
  assert.equal(tuneTiering(['--interrupt-budget=1000'], {}), false);
  assert.equal(tuneTiering(['--interrupt_budget', '1000'], {}), false);
  assert.equal(tuneTiering([], { NODE_OPTIONS: '--max-old-space-size=4096 --interrupt-budget=5000' }), false);
  // Other flags, and flags that only start alike, do not count.
  assert.equal(tuneTiering(['--max-old-space-size=4096', '--interrupt-budget-for-feedback-allocation=900'], { NODE_OPTIONS: '--trace-warnings' }), true);
  assert.equal(INTERRUPT_BUDGET, 135_168);
});
