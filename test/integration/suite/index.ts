/**
 * Entry of the extension-host tests (extensionTestsPath): VS Code calls `run()` inside the real
 * extension host, where `require('vscode')` works. Runs every *.test.js beside this file with
 * mocha, writes one result per test to $GLASSBOX_E2E_RESULTS (the harness turns them into its
 * own test results) and throws when any failed, which VS Code reports as exit code 1.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export interface SuiteResult {
  readonly title: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly error?: string;
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec' });
  const only = process.env.GLASSBOX_E2E_GREP;
  if (only) mocha.grep(only);
  for (const name of readdirSync(__dirname).sort()) {
    if (name.endsWith('.test.js')) mocha.addFile(join(__dirname, name));
  }
  const results: SuiteResult[] = [];
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('pass', (test) => results.push({ title: test.fullTitle(), ok: true, ms: test.duration ?? 0 }));
    runner.on('fail', (test, error: Error) =>
      results.push({ title: test.fullTitle(), ok: false, ms: test.duration ?? 0, error: error.stack ?? String(error) }),
    );
  });
  const resultsPath = process.env.GLASSBOX_E2E_RESULTS;
  if (resultsPath) writeFileSync(resultsPath, JSON.stringify(results, null, 2));
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
  if (results.length === 0) throw new Error('no extension-host tests ran');
}
