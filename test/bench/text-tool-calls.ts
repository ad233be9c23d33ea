/**
 * Reading tool calls written as text (issue 21): every reply is searched for every format's
 * opener at its end, and every streamed delta passes the hold-back, so both must stay linear
 * and cheap on ordinary prose — and on prose built to look almost like calls.
 *
 * - Parse throughput: `readTextCalls` over 1 MB inputs, all formats on (tools in the prompt).
 * - Added latency per delta: `HeldText.push` for a 1 MB reply streamed in 4-character deltas,
 *   against the same stream without hold-back (its cost is the difference).
 * Each figure is the median of RUNS runs after a warm-up.
 * Run alone: `node dist-test/test/bench/text-tool-calls.js` (env TEXT_CALLS_BENCH_RUNS, default 7).
 */
import { readTextCalls } from '../../src/agent/model/text-tool-calls';
import { HeldText } from '../../src/agent/loop/text-call-reader';
import { median, numberFromEnv } from './support/stats';

const RUNS = numberFromEnv('TEXT_CALLS_BENCH_RUNS', 7);
const MB = 1024 * 1024;

function repeatTo(text: string, bytes: number): string {
  return text.repeat(Math.ceil(bytes / text.length)).slice(0, bytes);
}

/** Prose whose every sentence holds the start of some format's opener, never a whole one. */
const NEAR_MISSES =
  'The <tool shed and the <tool_cal are near; [TOOL said one, [TOOL_CALL another. <|python and <|tool_call_beg are half tokens, ' +
  '<function is bare, functools has no bracket, <｜tool▁calls, <｜DSML｜ and <minimax: stop short. {"nam is no key, ' +
  '```jso is no fence, >> is a quote, Action is a word, to=functions is a phrase, <|channel is cut, <start_function and <|tool_cal too.\n';
const PLAIN = 'Glassbox reads the workspace, explains what it found and waits for the next question from the person using it.\n';
const CALL = '<tool_call>\n{"name": "read_file", "arguments": {"path": "src/index.ts"}}\n</tool_call>';

const inputs: [string, string][] = [
  ['plain prose', repeatTo(PLAIN, MB)],
  ['prose full of near-miss tokens', repeatTo(NEAR_MISSES, MB)],
  ['near-miss prose, then a call', repeatTo(NEAR_MISSES, MB - CALL.length) + CALL],
  ['Kimi-K2 call-begin token repeated (opener, never closed)', repeatTo('<|tool_call_begin|>', MB)],
  ['"[TOOL_CALLS]" repeated', repeatTo('[TOOL_CALLS]', MB)],
  ['"{\\"name\\"" repeated', repeatTo('{"name"', MB)],
  ['"<tool_call>" + 1 MB unterminated JSON', `<tool_call>{"name": "read_file", "arguments": {"path": "${'x'.repeat(MB)}`],
];

const options = { toolNames: new Set(['read_file', 'list_files']), unmarked: true };

function time(body: () => void): number {
  const started = process.hrtime.bigint();
  body();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function parseRows(): string[] {
  const rows = ['| input (1 MB) | median ms | MB/s | result |', '|---|---:|---:|---|'];
  for (const [name, text] of inputs) {
    const result = readTextCalls(text, options); // warm-up
    const ms = median(Array.from({ length: RUNS }, () => time(() => readTextCalls(text, options))));
    const megabytes = text.length / MB;
    rows.push(`| ${name} | ${ms.toFixed(1)} | ${(megabytes / (ms / 1000)).toFixed(0)} | ${result ? result.kind : 'answer'} |`);
  }
  return rows;
}

/** Streams `text` in `size`-character deltas through a hold-back (or none); returns total ms. */
function stream(text: string, size: number, hold: boolean): number {
  return time(() => {
    const held = new HeldText({ marked: hold, unmarked: hold });
    let shown = 0;
    for (let i = 0; i < text.length; i += size) shown += held.push(text.slice(i, i + size)).length;
    shown += held.release().length;
    if (shown !== text.length) throw new Error('the hold-back lost text');
  });
}

function deltaRows(): string[] {
  const rows = ['| reply (1 MB, 4-character deltas) | deltas | hold-back µs/delta | without µs/delta | added µs/delta |', '|---|---:|---:|---:|---:|'];
  for (const [name, text] of inputs.slice(0, 2)) {
    const deltas = Math.ceil(text.length / 4);
    stream(text, 4, true);
    stream(text, 4, false);
    const held = median(Array.from({ length: RUNS }, () => stream(text, 4, true)));
    const bare = median(Array.from({ length: RUNS }, () => stream(text, 4, false)));
    const per = (ms: number) => (ms * 1000) / deltas;
    rows.push(`| ${name} | ${deltas} | ${per(held).toFixed(3)} | ${per(bare).toFixed(3)} | ${per(held - bare).toFixed(3)} |`);
  }
  return rows;
}

export async function run(): Promise<string> {
  return [
    '## Tool calls written as text',
    '',
    `readTextCalls over 1 MB, every format on (median of ${RUNS}):`,
    '',
    ...parseRows(),
    '',
    'Live hold-back (HeldText.push) per streamed delta:',
    '',
    ...deltaRows(),
  ].join('\n');
}

if (require.main === module) void run().then((markdown) => console.log(markdown));
