/**
 * Runs the real loop against the scripted server through the real `openai` SDK, in a
 * throw-away workspace, and hands back what the user would see (events) and what the model
 * was sent (requests).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentEvent, EventOf } from '../../src/agent/events';
import { NodeWorkspaceFs } from '../../src/agent/workspace/node-workspace-fs';
import { OpenAIModel } from '../../src/agent/model/openai-model';
import { runAgent } from '../../src/agent/loop/run-agent';
import type { RunOptions } from '../../src/agent/loop/run-options';
import { startScriptedServer, type ScriptedServer, type ScriptTurn } from './scripted-server';

export interface ScriptedRun {
  readonly events: AgentEvent[];
  readonly server: ScriptedServer;
  readonly end: EventOf<'run-end'>;
  readonly workspace: string;
  of<T extends AgentEvent['type']>(type: T): EventOf<T>[];
}

export type HarnessOptions = Partial<Omit<RunOptions, 'model' | 'fs'>> & {
  /** Called once the workspace exists, to put files in it. */
  readonly prepare?: (workspace: string) => void;
  readonly modelOptions?: { maxAttempts?: number; retryBaseDelayMs?: number };
  /** Reuse a server (for multi-turn tests); closed by the caller. */
  readonly server?: ScriptedServer;
  readonly keepWorkspace?: string;
  /** Sees each event as it happens (e.g. to press Stop, or kill a server, mid-call). */
  readonly onEvent?: (event: AgentEvent) => void;
};

export async function runScripted(turns: readonly ScriptTurn[], options: HarnessOptions = {}): Promise<ScriptedRun> {
  const server = options.server ?? (await startScriptedServer(turns));
  if (options.server) server.push(...turns);
  const workspace = options.keepWorkspace ?? mkdtempSync(join(tmpdir(), 'glassbox-ws-'));
  options.prepare?.(workspace);
  const model = new OpenAIModel({
    baseURL: server.baseURL,
    apiKey: 'test',
    model: 'scripted-model',
    retryBaseDelayMs: options.modelOptions?.retryBaseDelayMs ?? 5,
    maxAttempts: options.modelOptions?.maxAttempts,
  });
  const events: AgentEvent[] = [];
  try {
    for await (const event of runAgent({
      task: 'test task',
      tools: [],
      ...options,
      model,
      fs: new NodeWorkspaceFs([workspace]),
    })) {
      events.push(event);
      options.onEvent?.(event);
    }
  } finally {
    if (!options.server) await server.close();
    if (!options.keepWorkspace) rmSync(workspace, { recursive: true, force: true });
  }
  const end = events.at(-1);
  if (end?.type !== 'run-end') throw new Error(`the stream did not end with run-end: ${JSON.stringify(end)}`);
  return {
    events,
    server,
    end,
    workspace,
    of: <T extends AgentEvent['type']>(type: T) => events.filter((e): e is EventOf<T> => e.type === type),
  };
}

/** The tool message the model was sent for `callId` in request number `index`. */
export function toolReply(server: ScriptedServer, index: number, callId?: string): string {
  const messages = server.requests[index]?.messages ?? [];
  const tools = messages.filter((m) => m.role === 'tool' && (callId === undefined || m.tool_call_id === callId));
  const last = tools.at(-1);
  if (!last) throw new Error(`request ${index} carries no tool message${callId ? ` for ${callId}` : ''}`);
  return String(last.content);
}
