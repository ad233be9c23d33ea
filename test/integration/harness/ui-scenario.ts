/**
 * A UI scenario: a workspace, a model script, and steps driven through Chromium. The runner
 * gives each scenario its own code-server and browser context and always stops both.
 */
import type { TestBrowser } from './browser';
import type { Provisioned } from './provision';
import type { ScriptStepJson } from './scripted-model';
import { packagedVsix } from './packaged-vsix';
import { startSession, type Session } from './session';
import type { RunDirs } from './workspace';

export interface UiScenario {
  /** Also the folder name under test-results/e2e/. */
  readonly name: string;
  readonly title: string;
  readonly files?: Readonly<Record<string, string>>;
  readonly turns: ScriptStepJson[][];
  readonly settings?: Record<string, unknown>;
  /** Run against the packaged VSIX installed into code-server, not the development build. */
  readonly installed?: boolean;
  /** Runs once the folders exist, before code-server starts (e.g. writes files naming a server it starts). */
  readonly prepare?: (dirs: RunDirs) => Promise<void>;
  /** Runs after the session has stopped, whether the scenario passed or not (stops what `prepare` started). */
  readonly cleanup?: () => Promise<void>;
  run(session: Session): Promise<void>;
}

export interface ScenarioReport {
  readonly name: string;
  readonly ms: number;
  readonly startupMs: number;
  readonly peakMemoryMb: number;
  readonly screenshots: readonly string[];
  readonly notes: readonly string[];
}

export async function runUiScenario(scenario: UiScenario, provisioned: Provisioned, browser: TestBrowser): Promise<ScenarioReport> {
  const started = Date.now();
  const session = await startSession({
    name: scenario.name,
    provisioned,
    browser,
    turns: scenario.turns,
    files: scenario.files,
    settings: scenario.settings,
    installVsix: scenario.installed ? await packagedVsix() : undefined,
    prepare: scenario.prepare,
  }).catch(async (error: unknown) => {
    await scenario.cleanup?.();
    throw error;
  });
  let failed = true;
  try {
    await scenario.run(session);
    failed = false;
  } finally {
    await session.finish(failed);
    await scenario.cleanup?.();
  }
  return {
    name: scenario.name,
    ms: Date.now() - started,
    startupMs: session.startupMs,
    peakMemoryMb: session.peakMemoryMb(),
    screenshots: session.shots.taken,
    notes: session.notes,
  };
}
