/**
 * Plan-and-Execute, parallel against sequential. A plan of three independent read-only steps,
 * each handing its question to a research helper that reads a file, and one step that depends
 * on all three, against a scripted model that takes 300 ms per call. The same plan runs with
 * read-only steps side by side and then strictly one after another; the wall time of each
 * (median of RUNS) and whether the final answers are the same are reported.
 * Run alone: `node dist-test/test/bench/plan.js` (env PLAN_BENCH_RUNS, default 3).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeWorkspaceFs } from '../../src/agent/workspace/node-workspace-fs';
import { OpenAIModel } from '../../src/agent/model/openai-model';
import { runPlanned } from '../../src/agent/plan/run-planned';
import { readFile } from '../../src/tools/read-file';
import { research } from '../../src/tools/research';
import { planRoleOf } from '../support/plan-harness';
import { delay, startScriptedServer, textTurn, toolCallTurn, type ChatRequestBody, type ScriptStep } from '../support/scripted-server';

const RUNS = Number(process.env.PLAN_BENCH_RUNS ?? 3);
const LATENCY_MS = 300;
const TOPICS = ['alpha', 'beta', 'gamma'];

/** Every call waits LATENCY_MS; the combining step's answer is built from what it was sent. */
function answer(request: ChatRequestBody): readonly ScriptStep[] {
  const role = planRoleOf(request);
  const turn = request.messages.filter((m) => m.role === 'assistant').length;
  const reply = (steps: readonly ScriptStep[]) => [delay(LATENCY_MS), ...steps];
  if (role.kind === 'planning') {
    if (turn > 0) return reply(textTurn('Submitted.'));
    return reply(
      toolCallTurn('submit_plan', {
        goal: 'Know the three topics',
        steps: [
          ...TOPICS.map((t) => ({ id: t, title: `Find out about ${t}`, readOnly: true })),
          { id: 'combine', title: 'Put the findings together', dependsOn: TOPICS },
        ],
      }),
    );
  }
  if (role.kind === 'child') {
    const topic = TOPICS.find((t) => role.question.includes(t)) ?? 'unknown';
    return reply(turn === 0 ? toolCallTurn('read_file', { path: `${topic}.txt` }) : textTurn(`${topic}.txt says ${topic} is ${topic.length}.`));
  }
  if (role.stepId !== 'combine') return reply(turn === 0 ? toolCallTurn('research', { question: `What does ${role.stepId}.txt say?` }) : textTurn(`${role.stepId} is ${role.stepId.length}.`));
  const task = String(request.messages[1]?.content ?? '');
  const found = TOPICS.map((t) => new RegExp(`### \\[${t}\\]\\n(.*)`).exec(task)?.[1] ?? `${t}: missing`);
  return reply(textTurn(`Together: ${found.join(' ')}`));
}

async function once(parallel: boolean, baseURL: string, workspace: string): Promise<{ ms: number; answer: string; steps: number }> {
  const model = new OpenAIModel({ baseURL, apiKey: 'bench', model: 'scripted-model' });
  const started = performance.now();
  let end = '';
  let steps = 0;
  for await (const event of runPlanned({
    model,
    tools: [readFile, research],
    fs: new NodeWorkspaceFs([workspace]),
    task: 'Tell me about alpha, beta and gamma.',
    decidePlan: async (p) => ({ kind: 'approve', plan: p.plan }),
    planSettings: { parallel },
  })) {
    if (event.type === 'plan-step-ended' && event.outcome === 'done') steps++;
    if (event.type === 'run-end') {
      if (event.reason !== 'answered') throw new Error(`the plan did not finish: ${event.reason}: ${event.answer}`);
      end = event.answer;
    }
  }
  return { ms: performance.now() - started, answer: end, steps };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function run(): Promise<string> {
  const workspace = mkdtempSync(join(tmpdir(), 'glassbox-plan-bench-'));
  for (const t of TOPICS) writeFileSync(join(workspace, `${t}.txt`), `${t} is ${t.length}\n`);
  const server = await startScriptedServer({ loop: answer, recordRequests: false });
  try {
    const times = { parallel: [] as number[], sequential: [] as number[] };
    const answers = new Set<string>();
    let calls = 0;
    for (let i = 0; i < RUNS; i++) {
      for (const parallel of [true, false]) {
        const before = server.requestCount;
        const result = await once(parallel, server.baseURL, workspace);
        calls = server.requestCount - before;
        if (result.steps !== 4) throw new Error(`expected 4 steps done, got ${result.steps}`);
        times[parallel ? 'parallel' : 'sequential'].push(result.ms);
        answers.add(result.answer);
      }
    }
    const p = median(times.parallel);
    const s = median(times.sequential);
    return [
      '## Plan-and-Execute: independent steps in parallel',
      '',
      `A plan of 3 independent read-only steps (each asks a research helper, which reads a file) and 1 step depending on all three; ` +
        `scripted model, ${LATENCY_MS} ms per call, ${calls} model calls per run; median of ${RUNS} runs each.`,
      '',
      '| mode | wall time | vs sequential |',
      '| --- | ---: | ---: |',
      `| read-only steps in parallel | ${(p / 1000).toFixed(2)} s | ${(p / s).toFixed(2)}× |`,
      `| strictly sequential | ${(s / 1000).toFixed(2)} s | 1.00× |`,
      '',
      `Same final answer in every run: ${answers.size === 1 ? 'yes' : `no (${answers.size} different)`} — "${[...answers][0]}"`,
    ].join('\n');
  } finally {
    await server.close();
    rmSync(workspace, { recursive: true, force: true });
  }
}

if (require.main === module) run().then((section) => console.log(section));
