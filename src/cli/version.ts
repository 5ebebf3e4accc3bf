import pkg from '../../package.json';

/** The package version, bundled at build time. */
export const TOOL_VERSION: string = pkg.version;
