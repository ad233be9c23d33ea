// Where things are, for tests that need a path rather than an import. Compiled to
// dist-test/test/support/paths.js, so the repository is three folders up wherever a test lives.
import { join, resolve } from 'node:path';

/** The repository's root folder (package.json, src/, dist/). */
export const repoRoot = resolve(__dirname, '..', '..', '..');
/** dist-test/: src and test transpiled file by file. */
export const distTestRoot = resolve(__dirname, '..', '..');
/** dist-test/test/support/: helpers that tests start as child processes. */
export const supportDir = __dirname;
/** The built CLI bundle. */
export const cliPath = join(repoRoot, 'dist', 'cli.js');
