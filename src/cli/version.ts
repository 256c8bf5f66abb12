/** The package version `--version` prints; `test/cli-polish.test.ts` keeps it equal to package.json's. */
export const VERSION = '0.1.0';
