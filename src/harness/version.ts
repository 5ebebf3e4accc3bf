import pkg from '../../package.json';

/** The package version, bundled at build time (the harness must not depend on the CLI layer). */
export const HARNESS_VERSION: string = pkg.version;
