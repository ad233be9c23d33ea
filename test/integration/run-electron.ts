/**
 * The same extension-host mocha suite (test/integration/suite) under @vscode/test-electron, for
 * people with a desktop VS Code download available: `npm run test:electron`. It downloads VS Code
 * into .vscode-test/ (test-electron's own cache), so it needs internet access to
 * update.code.visualstudio.com; where only npm and apt are reachable use `npm run test:e2e`.
 * Set VSCODE_EXECUTABLE to use a VS Code you already have.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { extensionPath, extensionTestsEntry } from './harness/paths';
import { installExitHooks } from './harness/process-group';
import { startScriptedModel } from './harness/scripted-model';
import { suiteResultsPath } from './harness/session';
import { createRunDirs } from './harness/workspace';

async function main(): Promise<void> {
  installExitHooks();
  const dirs = createRunDirs({
    'README.md': '# Sample project\n\nUsed by the Glassbox extension-host tests.\n',
    'src/math.ts': 'export const add = (a: number, b: number) => a + b;\n',
    'notes/todo.txt': 'first line\nsecond line\n',
  });
  const model = await startScriptedModel([], { dir: dirs.root });
  try {
    const settingsPath = join(dirs.userData, 'User/settings.json');
    mkdirSync(dirname(settingsPath), { recursive: true });
    writeFileSync(
      settingsPath,
      JSON.stringify({
        'glassbox.baseUrl': model.baseURL,
        'glassbox.model': 'scripted-model',
        'workbench.startupEditor': 'none',
        'security.workspace.trust.enabled': false,
        'extensions.autoUpdate': false,
        'telemetry.telemetryLevel': 'off',
      }),
    );
    const exitCode = await runTests({
      extensionDevelopmentPath: extensionPath,
      extensionTestsPath: extensionTestsEntry,
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
      launchArgs: [
        dirs.workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--user-data-dir', dirs.userData,
        '--extensions-dir', dirs.extensions,
      ],
      extensionTestsEnv: {
        GLASSBOX_E2E_WORKSPACE: dirs.workspace,
        GLASSBOX_E2E_OUTSIDE: dirs.outside,
        GLASSBOX_E2E_BASE_URL: model.baseURL,
        GLASSBOX_E2E_RESULTS: suiteResultsPath(dirs),
      },
    });
    process.exitCode = exitCode;
  } finally {
    await model.stop();
    dirs.remove();
  }
}

main().catch((error: unknown) => {
  console.error(`test:electron failed: ${error instanceof Error ? error.message : String(error)}`);
  console.error('It needs to download VS Code (or VSCODE_EXECUTABLE set); without internet use `npm run test:e2e`.');
  process.exit(1);
});
