/// <reference types="mocha" />
import Mocha from 'mocha';

/**
 * Runs mocha inside the extension host. Test files are `require`d by the caller after
 * `pre-require` so the bdd globals exist. Results go through console.log, which the workbench
 * forwards to the test script (window.codeAutomationLog); the last line is machine-readable.
 */
export function runMocha(label: string, load: () => void): Promise<void> {
  const grep = process.env.MCPW_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: ConsoleReporter, ...(grep ? { grep } : {}) });
  mocha.suite.emit('pre-require', globalThis, label, mocha);
  load();
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}

/** A reporter that prints through console.log (the only channel the workbench forwards). */
class ConsoleReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner) {
    super(runner);
    let passed = 0;
    let failed = 0;
    runner.on('pass', (t) => {
      passed++;
      console.log(`  ok   ${t.fullTitle()} (${t.duration ?? 0} ms)`);
    });
    runner.on('fail', (t, err: Error) => {
      failed++;
      console.log(`  FAIL ${t.fullTitle()}\n       ${String(err.stack ?? err).split('\n').slice(0, 8).join('\n       ')}`);
    });
    runner.on('pending', (t) => console.log(`  skip ${t.fullTitle()}`));
    runner.once('end', () => console.log(`MCPW-RESULT ${JSON.stringify({ passed, failed })}`));
  }
}
