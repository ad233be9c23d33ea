/**
 * The real-VS-Code part of `npm test` (npm run test:e2e): provisions Node 24, code-server and
 * Chromium into .vscode-test/ on first use, then
 *   1. runs the mocha suite inside code-server's extension host (each mocha test is reported as a
 *      subtest here), and
 *   2. drives each UI scenario through Chromium with Playwright, saving screenshots under
 *      test-results/e2e/<scenario>/.
 * GLASSBOX_SKIP_E2E=1 skips all of it (and says so). Every process started is stopped by PID.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, type TestBrowser } from './harness/browser';
import { runExtensionHostSuite } from './harness/extension-host-run';
import { installExitHooks, runningGroups } from './harness/process-group';
import { provision, type Provisioned } from './harness/provision';
import { runUiScenario, type ScenarioReport } from './harness/ui-scenario';
import { uiScenarios } from './ui';

const skip = process.env.GLASSBOX_SKIP_E2E === '1';
const only = process.env.GLASSBOX_E2E_ONLY; // e.g. "extension-host" or a scenario name, for local runs

if (skip) {
  console.log('GLASSBOX_SKIP_E2E=1: skipping the real-VS-Code tests (code-server + Chromium).');
  test('real VS Code tests (code-server + Chromium)', { skip: 'GLASSBOX_SKIP_E2E=1 is set' }, () => undefined);
} else {
  let provisioned: Provisioned | undefined;
  let browser: TestBrowser | undefined;
  const timings: string[] = [];
  const runStarted = Date.now();

  before(async () => {
    installExitHooks();
    const started = Date.now();
    provisioned = await provision();
    timings.push(`| provisioning | ${seconds(Date.now() - started)} | |`);
    browser = await launchBrowser(provisioned.chromium);
  });

  after(async () => {
    await browser?.stop();
    timings.push(`| whole E2E run | ${seconds(Date.now() - runStarted)} | |`);
    console.log(['', '| step | time | peak code-server RSS |', '|---|---|---|', ...timings].join('\n'));
    const leftovers = runningGroups();
    assert.deepEqual(leftovers, [], `process groups still running after the E2E run: ${leftovers.join(', ')}`);
  });

  const wanted = (name: string) => !only || only.split(',').includes(name);

  test('extension host (mocha suite inside code-server)', { skip: !wanted('extension-host'), timeout: 300_000 }, async (t) => {
    const run = await runExtensionHostSuite(provisioned!, browser!);
    timings.push(`| extension-host suite (startup ${seconds(run.startupMs)}) | ${seconds(run.ms)} | ${run.peakMemoryMb} MB |`);
    for (const result of run.results) {
      await t.test(result.title, () => {
        if (!result.ok) throw new Error(result.error);
      });
    }
    if (run.exitCode !== 0 || run.results.length === 0) {
      const console = run.consoleLines.filter((line) => !isWorkbenchNoise(line)).slice(-60).join('\n');
      throw new Error(
        run.exitCode === -1
          ? `the suite never reported back; browser console:\n${console}`
          : `the suite exited with ${run.exitCode} after ${run.results.length} test(s); browser console:\n${console}`,
      );
    }
  });

  for (const scenario of uiScenarios) {
    test(`ui: ${scenario.title}`, { skip: !wanted(scenario.name), timeout: 180_000 }, async () => {
      const report: ScenarioReport = await runUiScenario(scenario, provisioned!, browser!);
      const notes = report.notes.length > 0 ? `; ${report.notes.join('; ')}` : '';
      timings.push(`| ui: ${scenario.name} (startup ${seconds(report.startupMs)}${notes}) | ${seconds(report.ms)} | ${report.peakMemoryMb} MB |`);
    });
  }
}

/** Console lines every offline code-server prints (no marketplace, no vsda, web shutdown notes). */
function isWorkbenchNoise(line: string): boolean {
  return /open-vsx|ENOTFOUND|vsda|Gallery|queryGalleryExtensions|Long running operations during shutdown|marketplace/i.test(line);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
