/**
 * The scripted server as a process of its own, for the real-VS-Code tests and benchmarks:
 *   node dist-test/test/support/scripted-server-main.js script.json
 * prints `{"baseURL":"http://127.0.0.1:<port>/v1"}` as one line on stdout, then serves until killed.
 * `GET /_scripted/requests` returns what the model was sent.
 *
 * script.json: { "turns": [[step, …], …], "repeat"?: boolean, "models"?: [string, …] }
 * with steps as in ScriptStep, e.g. {"kind":"text","text":"Hi"}, {"kind":"tool-calls","calls":
 * [{"name":"read_file","args":{"path":"a.txt"}}]}, {"kind":"delay","ms":500}. With "repeat", the
 * turns are replayed in a cycle forever instead of running out.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { startScriptedServer, type ScriptStep } from './scripted-server';

const finishReason = z.enum(['stop', 'tool_calls', 'length', 'content_filter']);
const step = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string() }),
  z.object({
    kind: z.literal('tool-calls'),
    calls: z.array(z.object({ name: z.string().min(1), args: z.unknown(), id: z.string().optional() })).min(1),
  }),
  z.object({
    kind: z.literal('usage'),
    promptTokens: z.number().int().min(0),
    completionTokens: z.number().int().min(0),
    cachedTokens: z.number().int().min(0).optional(),
    wire: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({ kind: z.literal('finish'), reason: finishReason }),
  z.object({ kind: z.literal('delay'), ms: z.number().min(0) }),
  z.object({ kind: z.literal('chunk-delay'), ms: z.number().min(0) }),
  z.object({
    kind: z.literal('error'),
    status: z.number().int().min(400).max(599),
    message: z.string(),
    type: z.string().optional(),
    headers: z.record(z.string(), z.string()).optional(),
  }),
  z.object({ kind: z.literal('cut') }),
  z.object({ kind: z.literal('end') }),
]);
const scriptFile = z.object({
  turns: z.array(z.array(step)),
  repeat: z.boolean().optional(),
  models: z.array(z.string().min(1)).optional(),
});


async function main(): Promise<void> {
  const path = process.argv[2];
  if (!path) throw new Error('usage: scripted-server-main <script.json>');
  const parsed = scriptFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path} is not a valid script: ${z.prettifyError(parsed.error)}`);
  const { turns, repeat, models } = parsed.data;
  if (repeat && turns.length === 0) throw new Error(`${path}: "repeat" needs at least one turn`);
  const scripted = turns as ScriptStep[][];
  const server = await startScriptedServer({
    models,
    turns: repeat ? [] : scripted,
    loop: repeat ? (_request, index) => scripted[index % scripted.length] : undefined,
  });
  process.stdout.write(`${JSON.stringify({ baseURL: server.baseURL })}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`scripted-server: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
