/**
 * Runs the mocha suite (test/integration/suite) inside code-server's real extension host: the
 * workbench is opened with the smoke-test payload (extensionDevelopmentPath + extensionTestsPath)
 * and VS Code calls `window.codeAutomationExit(code)` when the suite's `run()` settles.
 */
import { readFileSync, existsSync } from 'node:fs';
import type { TestBrowser } from './browser';
import { installLmProviderExtension } from './lm-provider-extension';
import { extensionTestsEntry } from './paths';
import type { Provisioned } from './provision';
import { startSession, suiteResultsPath, type Session } from './session';

export interface SuiteResult {
  readonly title: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly error?: string;
}

export interface ExtensionHostRun {
  readonly exitCode: number;
  readonly results: SuiteResult[];
  readonly consoleLines: string[];
  readonly ms: number;
  readonly startupMs: number;
  readonly peakMemoryMb: number;
}

export async function runExtensionHostSuite(provisioned: Provisioned, browser: TestBrowser, timeoutMs = 240_000): Promise<ExtensionHostRun> {
  const started = Date.now();
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  let session: Session | undefined;
  let failed = true;
  try {
    session = await startSession(
      {
        name: 'extension-host',
        provisioned,
        browser,
        turns: [],
        files: {
          'README.md': '# Sample project\n\nUsed by the Glassbox extension-host tests.\n',
          'src/math.ts': 'export const add = (a: number, b: number) => a + b;\n',
          'notes/todo.txt': 'first line\nsecond line\n',
        },
        extensionTestsPath: extensionTestsEntry,
        // A second extension offering a chat model through the finalized LM provider API.
        prepare: (dirs) => installLmProviderExtension(dirs.extensions),
      },
      async (page) => {
        await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
      },
    );
    const timer = new Promise<number>((resolve) => setTimeout(() => resolve(-1), timeoutMs).unref());
    const exitCode = await Promise.race([exited, timer]);
    session.sampleMemory();
    const resultsFile = suiteResultsPath(session.dirs);
    const results: SuiteResult[] = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as SuiteResult[]) : [];
    failed = exitCode !== 0 || results.length === 0 || results.some((r) => !r.ok);
    if (exitCode === -1) session.consoleLines.push(`[harness] the suite did not finish within ${timeoutMs} ms`);
    await session.shots.take(session.page, 'after-suite');
    return {
      exitCode,
      results,
      consoleLines: session.consoleLines,
      ms: Date.now() - started,
      startupMs: session.startupMs,
      peakMemoryMb: session.peakMemoryMb(),
    };
  } finally {
    await session?.finish(failed);
  }
}
