/**
 * The scripted OpenAI-compatible server (test/support/scripted-server-main.ts) as a separate
 * process: code-server's extension host reaches it over loopback like any real endpoint. The
 * script is a JSON file of turns; `requests()` asks the server what the model was sent.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { scriptedServerMain } from './paths';
import { spawnGroup, type StartedGroup } from './process-group';

/** One step of a scripted model turn (see ScriptStep in test/support/scripted-server.ts). */
export type ScriptStepJson =
  | { kind: 'text'; text: string }
  | { kind: 'tool-calls'; calls: { name: string; args: unknown; id?: string }[] }
  | { kind: 'usage'; promptTokens: number; completionTokens: number; cachedTokens?: number }
  | { kind: 'finish'; reason: 'stop' | 'tool_calls' | 'length' | 'content_filter' }
  | { kind: 'delay'; ms: number }
  | { kind: 'chunk-delay'; ms: number }
  | { kind: 'error'; status: number; message: string };

export interface RecordedRequest {
  readonly model?: string;
  readonly messages: readonly { role: string; content?: unknown; tool_call_id?: string; tool_calls?: unknown[] }[];
}

export interface ScriptedModel {
  readonly baseURL: string;
  requests(): Promise<{ requestCount: number; requests: RecordedRequest[]; pendingTurns: number; authorizations: (string | null)[] }>;
  stop(): Promise<void>;
}

export async function startScriptedModel(
  turns: ScriptStepJson[][],
  options: { dir: string; logPath?: string },
): Promise<ScriptedModel> {
  const scriptPath = join(options.dir, 'model-script.json');
  writeFileSync(scriptPath, JSON.stringify({ turns, models: ['scripted-model'] }, null, 2));
  const group: StartedGroup = spawnGroup(process.execPath, [scriptedServerMain, scriptPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  group.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const baseURL = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`scripted server printed nothing in 10 s: ${stderr}`)), 10_000);
    group.child.once('exit', (code) => reject(new Error(`scripted server exited (${code}): ${stderr}`)));
    createInterface({ input: group.child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve((JSON.parse(line) as { baseURL: string }).baseURL);
      } catch {
        reject(new Error(`scripted server printed ${line}`));
      }
    });
  });
  const origin = new URL(baseURL).origin;
  return {
    baseURL,
    async requests() {
      const response = await fetch(`${origin}/_scripted/requests`);
      return (await response.json()) as Awaited<ReturnType<ScriptedModel['requests']>>;
    },
    stop: () => group.stop(2000),
  };
}
