/**
 * A UI scenario: a workspace, a model script, and steps driven through Chromium. The runner
 * gives each scenario its own code-server and browser context and always stops both.
 */
import type { TestBrowser } from './browser';
import type { Provisioned } from './provision';
import type { ScriptStepJson } from './scripted-model';
import { packagedVsix } from './packaged-vsix';
import { startSession, type Session } from './session';

export interface UiScenario {
  /** Also the folder name under test-results/e2e/. */
  readonly name: string;
  readonly title: string;
  readonly files?: Readonly<Record<string, string>>;
  readonly turns: ScriptStepJson[][];
  readonly settings?: Record<string, unknown>;
  /** Run against the packaged VSIX installed into code-server, not the development build. */
  readonly installed?: boolean;
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
  });
  let failed = true;
  try {
    await scenario.run(session);
    failed = false;
  } finally {
    await session.finish(failed);
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
