/**
 * Problems after an edit, in real VS Code: code-server's extension host with its built-in
 * TypeScript server, through the E2E harness (provisioned like `npm run test:e2e`). Edits that
 * alternately add and fix a type error in a 600-line TypeScript file; for each, the time from
 * the edit's start until its result came back with the problems attached (and the part of it
 * spent waiting for the server), and the tokens the report added to the result.
 * Run alone: `node dist-test/test/bench/problems.js` (GLASSBOX_E2E_BENCH_EDITS, default 20).
 * GLASSBOX_SKIP_E2E=1 skips it, as it does the E2E tests.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from '../integration/harness/browser';
import { runExtensionHostSuite } from '../integration/harness/extension-host-run';
import { installExitHooks } from '../integration/harness/process-group';
import { provision } from '../integration/harness/provision';
import type { EditMeasurement } from '../integration/suite/editor-bench.test';
import { median } from './support/stats';

export async function run(): Promise<string> {
  if (process.env.GLASSBOX_SKIP_E2E === '1') return '### Problems after an edit\n\nSkipped: GLASSBOX_SKIP_E2E=1 (it needs code-server and its TypeScript server).\n';
  installExitHooks();
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-problems-bench-'));
  const out = join(dir, 'measurements.json');
  // The extension host inherits this process's environment: these pick and feed the bench test.
  process.env.GLASSBOX_E2E_GREP = 'problems-after-edit bench';
  process.env.GLASSBOX_E2E_BENCH_OUT = out;
  const provisioned = await provision();
  const browser = await launchBrowser(provisioned.chromium);
  try {
    const suite = await runExtensionHostSuite(provisioned, browser, 600_000);
    if (suite.exitCode !== 0) throw new Error(`the bench did not finish: ${suite.results.map((r) => r.error ?? r.title).join('\n')}`);
    const runs = JSON.parse(readFileSync(out, 'utf8')) as EditMeasurement[];
    return section(runs);
  } finally {
    await browser.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function section(runs: readonly EditMeasurement[]): string {
  const p95 = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(values.length * 0.95) - 1)];
  const ms = (value: number) => `${Math.round(value)} ms`;
  const total = runs.map((r) => r.totalMs);
  const waited = runs.map((r) => r.waitedMs);
  const tokens = runs.map((r) => r.tokens);
  const breaking = runs.filter((r) => r.added > 0);
  const fixing = runs.filter((r) => r.fixed > 0);
  return [
    '### Problems after an edit (real TypeScript server in code-server)',
    '',
    `${runs.length} edits of a 600-line TypeScript file, alternately adding and fixing a type error (the first, which loads the project, left out); wait bound 2 s.`,
    '',
    '| | median | p95 | max |',
    '| --- | ---: | ---: | ---: |',
    `| edit → result with problems attached | ${ms(median(total))} | ${ms(p95(total))} | ${ms(Math.max(...total))} |`,
    `| of which waiting for the server | ${ms(median(waited))} | ${ms(p95(waited))} | ${ms(Math.max(...waited))} |`,
    `| tokens added to the result | ${median(tokens)} | ${p95(tokens)} | ${Math.max(...tokens)} |`,
    '',
    `Settled within the bound: ${runs.filter((r) => r.settled).length}/${runs.length}; the error reported as new on ${breaking.length} of ${Math.ceil(runs.length / 2)} breaking edits and as fixed on ${fixing.length} of ${Math.floor(runs.length / 2)} fixing edits.`,
    '',
  ].join('\n');
}

if (require.main === module) {
  run().then(
    (markdown) => console.log(markdown),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
