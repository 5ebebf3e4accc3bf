import { runMocha } from '../runner';

/** Entry point VS Code calls (extensionTestsPath): the suite for a trusted multi-root workspace. */
export function run(): Promise<void> {
  return runMocha('trusted', () => {
    require('./activation.test');
    require('./diagnostics.test');
    require('./codeActions.test');
    require('./harness.test');
    require('./scan.test');
  });
}
