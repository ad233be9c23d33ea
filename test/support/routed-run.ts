/**
 * Parent and research children share one scripted endpoint and may call it at the same time,
 * so a fixed turn order cannot script them. A router can: it tells a child's request (by its
 * system prompt) from the parent's, and answers by how far that conversation has got.
 */
import type { AgentEvent } from '../../src/agent/events';
import { runScripted, type HarnessOptions, type ScriptedRun } from './agent-harness';
import { startScriptedServer, type ChatRequestBody, type ScriptStep } from './scripted-server';

export type Role = { readonly kind: 'parent' } | { readonly kind: 'child'; readonly question: string };
/** `turn`: how many assistant messages the conversation already holds. */
export type Router = (role: Role, turn: number, request: ChatRequestBody) => readonly ScriptStep[];

export function roleOf(request: ChatRequestBody): Role {
  const system = String(request.messages[0]?.content ?? '');
  if (!system.startsWith('You are a research helper')) return { kind: 'parent' };
  return { kind: 'child', question: String(request.messages[1]?.content ?? '') };
}

export function routerLoop(router: Router): (request: ChatRequestBody) => readonly ScriptStep[] {
  return (request) => router(roleOf(request), request.messages.filter((m) => m.role === 'assistant').length, request);
}

export async function routed(router: Router, options: HarnessOptions = {}): Promise<ScriptedRun & { requests: readonly ChatRequestBody[] }> {
  const server = await startScriptedServer({ loop: routerLoop(router) });
  try {
    const run = await runScripted([], { server, ...options });
    return { ...run, requests: server.requests };
  } finally {
    await server.close();
  }
}

/** The events of the children (of one call, when given), unwrapped. */
export const childEvents = (run: ScriptedRun, callId?: string): AgentEvent[] =>
  run.of('child-event').filter((e) => callId === undefined || e.callId === callId).map((e) => e.event);
