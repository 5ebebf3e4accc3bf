import { runMocha } from '../runner';

/** Entry point for the untrusted-workspace session. */
export function run(): Promise<void> {
  return runMocha('untrusted', () => {
    require('./trust.test');
  });
}
