/**
 * One real VS Code session for a test: a scripted model server, a throw-away workspace and
 * profile, code-server with the Glassbox extension loaded from this repo (development path, so
 * it is the freshly built dist/), and a Chromium page showing the workbench. `finish(failed)`
 * stops every process by PID and keeps the logs when the test failed.
 */
import { copyFileSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { TestBrowser } from './browser';
import { startCodeServer, type CodeServer } from './code-server';
import { extensionPath, resultsDir } from './paths';
import type { Provisioned } from './provision';
import { startScriptedModel, type ScriptStepJson, type ScriptedModel } from './scripted-model';
import { groupMemoryMb } from './process-memory';
import { createRunDirs, type RunDirs } from './workspace';
import { Screenshots, waitForWorkbench } from './workbench';

export interface SessionOptions {
  /** Folder name under test-results/e2e/ for screenshots and logs. */
  readonly name: string;
  readonly provisioned: Provisioned;
  readonly browser: TestBrowser;
  /** What the scripted model answers, one entry per model call. */
  readonly turns: ScriptStepJson[][];
  readonly files?: Readonly<Record<string, string>>;
  readonly settings?: Record<string, unknown>;
  /** Run the mocha suite at this path inside the extension host (extensionTestsPath). */
  readonly extensionTestsPath?: string;
  readonly env?: Record<string, string>;
  /**
   * Install this VSIX (the packaged extension) instead of loading the repo as a development
   * extension: the scenario then tests exactly what ships.
   */
  readonly installVsix?: string;
  /** Runs once the folders exist, before code-server starts (e.g. to install another extension). */
  readonly prepare?: (dirs: RunDirs) => void | Promise<void>;
}

export interface Session {
  readonly dirs: RunDirs;
  readonly model: ScriptedModel;
  readonly server: CodeServer;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly shots: Screenshots;
  readonly outDir: string;
  /** Browser console lines (extension-host test output lands here too). */
  readonly consoleLines: string[];
  /** Measurements a scenario wants in the run's summary table ("stop took 120 ms"). */
  readonly notes: string[];
  /** Milliseconds from spawning code-server to a ready workbench. */
  readonly startupMs: number;
  /** Peak summed RSS of the code-server process tree, sampled on demand. */
  sampleMemory(): number;
  peakMemoryMb(): number;
  finish(failed: boolean): Promise<void>;
}

/** Where the extension-host suite writes its per-test results. */
export function suiteResultsPath(dirs: RunDirs): string {
  return join(dirs.root, 'suite-results.json');
}

/** Starts everything; `beforeOpen` runs on the page before the workbench loads (exposeFunction…). */
export async function startSession(options: SessionOptions, beforeOpen?: (page: Page) => Promise<void>): Promise<Session> {
  const outDir = join(resultsDir, options.name);
  rmSync(outDir, { recursive: true, force: true });
  const dirs = createRunDirs(options.files);
  const cleanups: (() => Promise<void>)[] = [];
  try {
    await options.prepare?.(dirs);
    const model = await startScriptedModel(options.turns, { dir: dirs.root });
    cleanups.push(() => model.stop());
    const started = Date.now();
    const server = await startCodeServer({
      provisioned: options.provisioned,
      dirs,
      smokeTestDriver: true,
      logPath: join(outDir, 'code-server.log'),
      installVsix: options.installVsix,
      // What the extension-host tests need to know (read by test/integration/suite/env.ts).
      env: {
        GLASSBOX_E2E_WORKSPACE: dirs.workspace,
        GLASSBOX_E2E_OUTSIDE: dirs.outside,
        GLASSBOX_E2E_BASE_URL: model.baseURL,
        GLASSBOX_E2E_RESULTS: suiteResultsPath(dirs),
        ...options.env,
      },
      settings: {
        'glassbox.baseUrl': model.baseURL,
        'glassbox.model': 'scripted-model',
        // Select Provider and the "could not reach" notice probe only the scripted server's port,
        // never whatever else may listen on this machine's default model ports.
        'glassbox.discoveryPorts': [Number(new URL(model.baseURL).port)],
        ...options.settings,
      },
    });
    cleanups.push(() => server.stop());
    const consoleLines: string[] = [];
    const { context, page } = await options.browser.newPage(consoleLines);
    cleanups.push(() => context.close().catch(() => undefined));
    if (beforeOpen) await beforeOpen(page);
    const payload: [string, string][] = options.installVsix ? [] : [['extensionDevelopmentPath', server.remoteUri(extensionPath)]];
    if (options.extensionTestsPath) payload.push(['extensionTestsPath', server.remoteUri(options.extensionTestsPath)]);
    await page.goto(server.urlFor(dirs.workspace, payload.length > 0 ? payload : undefined));
    await waitForWorkbench(page);
    const startupMs = Date.now() - started;
    let peak = 0;
    const sampleMemory = () => {
      peak = Math.max(peak, groupMemoryMb(server.pid));
      return peak;
    };
    sampleMemory();
    return {
      dirs,
      model,
      server,
      context,
      page,
      outDir,
      consoleLines,
      notes: [],
      startupMs,
      sampleMemory,
      peakMemoryMb: () => peak,
      shots: new Screenshots(outDir),
      async finish(failed) {
        sampleMemory();
        if (failed) await page.screenshot({ path: join(outDir, 'failure.png') }).catch(() => undefined);
        writeFileSync(join(outDir, 'browser-console.log'), consoleLines.join('\n'));
        for (const cleanup of cleanups.reverse()) await cleanup();
        if (failed) keepForDiagnosis(dirs, outDir);
        else rmSync(join(outDir, 'code-server.log'), { force: true });
        dirs.remove();
      },
    };
  } catch (error) {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    keepForDiagnosis(dirs, outDir);
    dirs.remove();
    throw error;
  }
}

/** Copies the extension host's own logs next to the server log. */
function keepForDiagnosis(dirs: RunDirs, outDir: string): void {
  const exthostLogs = join(dirs.userData, 'logs');
  if (!existsSync(exthostLogs)) return;
  try {
    for (const file of findFiles(exthostLogs)) {
      if (/exthost|remoteagent|glassbox/i.test(file)) copyFileSync(file, join(outDir, file.slice(exthostLogs.length + 1).replaceAll('/', '_')));
    }
  } catch {
    // best effort: the server log is already kept
  }
}

function findFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? findFiles(path) : [path];
  });
}
