/** Where things are, from the transpiled harness in dist-test/test/integration/harness/. */
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '../../../..');
/**
 * The extension under test: the repo itself, whose package.json points at the freshly built
 * dist/. GLASSBOX_E2E_EXTENSION_PATH points the UI scenarios at another extension folder (an
 * unpacked VSIX, say); the extension-host suite always lives in this repo's dist-test/.
 */
export const extensionPath = process.env.GLASSBOX_E2E_EXTENSION_PATH || repoRoot;
export const distTest = join(repoRoot, 'dist-test');
/** Screenshots, server logs and failure artifacts (git-ignored). */
export const resultsDir = join(repoRoot, 'test-results', 'e2e');
export const scriptedServerMain = join(distTest, 'test/support/scripted-server-main.js');
export const extensionTestsEntry = join(distTest, 'test/integration/suite/index.js');
