/**
 * Secret redaction speed. redactSecrets runs on every tool result, event and history record,
 * so it must cost little on ordinary text and stay linear on hostile text.
 *
 * Inputs: this repository's own TypeScript (real code, no secrets), a log with a secret every
 * ~40 lines, and adversarial strings built to make backtracking patterns quadratic. Each input
 * is redacted RUNS times after a warm-up; the median run is reported.
 * Run alone: `node dist-test/test/bench/redact.js` (env REDACT_BENCH_RUNS, default 15).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { redactSecrets } from '../../src/agent/safety/redact';

const RUNS = Number(process.env.REDACT_BENCH_RUNS ?? 15);
// dist-test/test/bench/ → the repository; or the folder it is run from.
const root = existsSync(join(__dirname, '..', '..', '..', 'src')) ? join(__dirname, '..', '..', '..') : process.cwd();

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

function repeatTo(text: string, bytes: number): string {
  return text.repeat(Math.max(1, Math.ceil(bytes / text.length))).slice(0, bytes);
}

const code = repeatTo(sourceFiles(join(root, 'src')).map((path) => readFileSync(path, 'utf8')).join('\n'), 4 * 1024 * 1024);
const key = (prefix: string, n: number) => prefix + 'aB3dE6gH9jK2mN5pQ8rS1tU4vW7xY0z'.repeat(4).slice(0, n);
const logLines: string[] = [];
for (let i = 0; i < 40_000; i++) {
  if (i % 40 === 0) logLines.push(`[${i}] export OPENAI_API_KEY=${key('sk-proj-', 60)}`);
  else if (i % 40 === 20) logLines.push(`[${i}] Authorization: Bearer ${key('', 40)}`);
  else logLines.push(`[${i}] GET /api/items?page=${i} 200 ${i % 97} ms user=alice@example.com`);
}
const log = logLines.join('\n');

const inputs: [string, string][] = [
  ['repository TypeScript, 4 MB', code],
  ['request log with secrets, 40k lines', log],
  ['"sk-" × 300k', 'sk-'.repeat(300_000)],
  ['"-----BEGIN PRIVATE KEY-----" × 40k', '-----BEGIN PRIVATE KEY-----'.repeat(40_000)],
  ['"password=" × 200k', 'password='.repeat(200_000)],
  ['"Bearer " + 1 MB token chars', `Bearer ${'x'.repeat(1024 * 1024)}`],
  ['"token: \\"" + 1 MB unterminated', `token: "${'v'.repeat(1024 * 1024)}`],
];

const rows: string[] = ['| input | size | median ms | MB/s | secrets |', '|---|---:|---:|---:|---:|'];
for (const [name, text] of inputs) {
  redactSecrets(text); // warm-up: compile patterns, optimise
  const times: number[] = [];
  let count = 0;
  for (let run = 0; run < RUNS; run++) {
    const started = process.hrtime.bigint();
    count = redactSecrets(text).count;
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const megabytes = Buffer.byteLength(text) / (1024 * 1024);
  rows.push(`| ${name} | ${megabytes.toFixed(2)} MB | ${median.toFixed(1)} | ${(megabytes / (median / 1000)).toFixed(0)} | ${count} |`);
}
console.log(rows.join('\n'));
