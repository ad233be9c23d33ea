/**
 * Runs Plan-and-Execute against one scripted endpoint through the real SDK. The planning run,
 * each step's run and any research child may call at the same time, so the script is a
 * router that tells them apart by what they were sent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentEvent, EventOf } from '../../src/agent/events';
import { NodeWorkspaceFs } from '../../src/agent/workspace/node-workspace-fs';
import { OpenAIModel } from '../../src/agent/model/openai-model';
import { runPlanned, type PlannedRunOptions } from '../../src/agent/plan/run-planned';
import { startScriptedServer, type ChatRequestBody, type ScriptStep } from './scripted-server';

export type PlanRole =
  | { readonly kind: 'planning' }
  | { readonly kind: 'step'; readonly stepId: string }
  | { readonly kind: 'child'; readonly question: string };

export function planRoleOf(request: ChatRequestBody): PlanRole {
  const system = String(request.messages[0]?.content ?? '');
  const task = String(request.messages[1]?.content ?? '');
  if (system.startsWith('You are a research helper')) return { kind: 'child', question: task };
  if (system.startsWith('You are Glassbox in planning mode')) return { kind: 'planning' };
  const step = /Your step: \[([^\]]+)\]/.exec(task);
  if (step) return { kind: 'step', stepId: step[1] };
  throw new Error(`the router cannot tell who sent this request: ${task.slice(0, 120)}`);
}

/** `turn`: assistant messages in the conversation so far (the planning one spans revisions). */
export type PlanRouter = (role: PlanRole, turn: number, request: ChatRequestBody) => readonly ScriptStep[] | Promise<readonly ScriptStep[]>;

export interface PlannedRun {
  readonly events: AgentEvent[];
  readonly requests: readonly ChatRequestBody[];
  readonly end: EventOf<'run-end'>;
  of<T extends AgentEvent['type']>(type: T): EventOf<T>[];
}

export async function runPlannedScripted(
  router: PlanRouter,
  options: Partial<Omit<PlannedRunOptions, 'model' | 'fs'>> & Pick<PlannedRunOptions, 'decidePlan'> & { prepare?: (ws: string) => void; inspect?: (ws: string) => void; onEvent?: (event: AgentEvent) => void },
): Promise<PlannedRun> {
  const server = await startScriptedServer([]);
  // Turns may be functions of the request; enough of them for any test's run.
  const respond = (request: ChatRequestBody) => router(planRoleOf(request), request.messages.filter((m) => m.role === 'assistant').length, request);
  for (let i = 0; i < 200; i++) server.push((request) => respond(request));
  const workspace = mkdtempSync(join(tmpdir(), 'glassbox-plan-'));
  options.prepare?.(workspace);
  const model = new OpenAIModel({ baseURL: server.baseURL, apiKey: 'test', model: 'scripted-model', retryBaseDelayMs: 5 });
  const events: AgentEvent[] = [];
  try {
    for await (const event of runPlanned({ task: 'test task', tools: [], ...options, model, fs: new NodeWorkspaceFs([workspace]) })) {
      events.push(event);
      options.onEvent?.(event);
    }
    options.inspect?.(workspace);
  } finally {
    await server.close();
    rmSync(workspace, { recursive: true, force: true });
  }
  const end = events.at(-1);
  if (end?.type !== 'run-end') throw new Error(`the stream did not end with run-end: ${JSON.stringify(end)}`);
  return {
    events,
    requests: server.requests,
    end,
    of: <T extends AgentEvent['type']>(type: T) => events.filter((e): e is EventOf<T> => e.type === type),
  };
}
