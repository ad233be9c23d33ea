/**
 * `npm run bench`: runs every benchmark module beside this file, each in a process of its own
 * (so one bench's heap, JIT state and globals cannot colour the next one's figures), prints
 * their markdown sections and writes them, with the machine they ran on, to
 * bench-results/latest.md.
 *
 * A bench module exports `run(): Promise<string>` returning its markdown section. A module
 * with only `main()` is called too: its section is what it returns, or else what it prints.
 * A module exporting neither is taken to run on import (`main()` at the top level): its section
 * is everything it prints, once its process ends on its own with exit code 0.
 *
 * Usage: node dist-test/test/bench/run.js [name …]   (names filter, e.g. `loop tokens`)
 */
import { fork } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describeMachine, machineMarkdown } from './support/machine';

/** The brief's order first; benches added later run after these, alphabetically. */
const PREFERRED_ORDER = ['loop', 'tokens', 'search', 'memory', 'webview'];
/** Every module beside this runner is a bench; helpers live in support/ and fixtures/. */
const RUNNER = 'run';
/** A bench that runs longer than this is stopped and reported as failed. */
const BENCH_TIMEOUT_MS = 10 * 60_000;

type ChildReport =
  | { readonly kind: 'section'; readonly markdown: string }
  /** The module ran itself on import: its section is what it prints before exiting. */
  | { readonly kind: 'runs-on-import' }
  | { readonly kind: 'failed'; readonly message: string };

/** What became of a bench, as the parent sees it once the child has ended. */
type BenchResult = Exclude<ChildReport, { readonly kind: 'runs-on-import' }>;

interface BenchOutcome {
  readonly name: string;
  readonly report: BenchResult;
  readonly seconds: number;
}

/** Bench module names (without .js) found beside this file, in running order. */
export function benchModules(dir = __dirname): string[] {
  const names = readdirSync(dir)
    .filter((file) => file.endsWith('.js'))
    .map((file) => basename(file, '.js'))
    .filter((name) => name !== RUNNER);
  const rank = (name: string) => {
    const at = PREFERRED_ORDER.indexOf(name);
    return at < 0 ? PREFERRED_ORDER.length : at;
  };
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

async function runInChild(name: string): Promise<BenchOutcome> {
  const started = performance.now();
  const child = fork(__filename, ['--bench', name], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  // Whatever a bench prints is shown on stderr as progress, so stdout carries only the results;
  // it is kept too, as the section of a bench that only prints.
  const printed: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    printed.push(chunk);
    process.stderr.write(chunk);
  });
  const report = await new Promise<BenchResult>((resolve) => {
    let reported: ChildReport | undefined;
    const timer = setTimeout(() => {
      reported = { kind: 'failed', message: `stopped after ${BENCH_TIMEOUT_MS / 60_000} minutes` };
      child.kill('SIGKILL');
    }, BENCH_TIMEOUT_MS);
    child.on('message', (message: ChildReport) => (reported ??= message));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const output = Buffer.concat(printed).toString('utf8').trim();
      if (reported?.kind === 'runs-on-import') {
        if (code !== 0) resolve({ kind: 'failed', message: `exited with ${signal ?? `code ${code}`} (its errors are above)` });
        else if (output === '') resolve({ kind: 'failed', message: 'ran on import but printed nothing' });
        else resolve({ kind: 'section', markdown: output });
      } else {
        resolve(reported ?? { kind: 'failed', message: `the bench process exited (${signal ?? `code ${code}`}) without a result` });
      }
    });
  });
  return { name, report, seconds: (performance.now() - started) / 1000 };
}

/** The child side: load one bench module and hand its section back to the parent. */
async function runBenchHere(name: string): Promise<ChildReport> {
  const bench = (await import(join(__dirname, `${name}.js`))) as { run?: unknown; main?: unknown };
  if (typeof bench.run === 'function') {
    const markdown: unknown = await bench.run();
    if (typeof markdown !== 'string') return { kind: 'failed', message: `${name}.run() returned ${typeof markdown}, not markdown` };
    return { kind: 'section', markdown };
  }
  if (typeof bench.main === 'function') {
    const printed: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      printed.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
    try {
      const returned: unknown = await bench.main();
      return { kind: 'section', markdown: typeof returned === 'string' ? returned : printed.join('').trim() };
    } finally {
      process.stdout.write = write;
    }
  }
  return { kind: 'runs-on-import' };
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

async function main(filters: readonly string[]): Promise<void> {
  const machine = describeMachine();
  const names = benchModules().filter((name) => filters.length === 0 || filters.includes(name));
  if (names.length === 0) throw new Error(`No bench modules${filters.length ? ` named ${filters.join(', ')}` : ''} in ${__dirname}: build first.`);
  const outcomes: BenchOutcome[] = [];
  for (const name of names) {
    process.stderr.write(`bench: ${name} …\n`);
    const outcome = await runInChild(name);
    process.stderr.write(`bench: ${name} ${outcome.report.kind === 'failed' ? 'FAILED' : 'done'} in ${outcome.seconds.toFixed(1)} s\n`);
    outcomes.push(outcome);
  }
  const sections = outcomes.flatMap(({ name, report, seconds }) => {
    if (report.kind === 'failed') return [`## ${name}: failed\n\n\`\`\`\n${report.message}\n\`\`\``];
    // A bench that prints only a table gets a heading named after it.
    const markdown = report.markdown.trim();
    const titled = markdown.startsWith('#') ? markdown : `## ${name}\n\n${markdown}`;
    return [`${titled}\n\n_${name}: ${seconds.toFixed(0)} s_`];
  });
  const document = ['# Glassbox benchmarks', '', machineMarkdown(machine), '', ...sections.flatMap((s) => [s, ''])].join('\n');
  process.stdout.write(document);
  const dir = join(__dirname, '..', '..', '..', 'bench-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.md'), document);
  process.stderr.write(`bench: written to ${join(dir, 'latest.md')}\n`);
  if (outcomes.some((o) => o.report.kind === 'failed')) process.exitCode = 1;
}

if (require.main === module) {
  const at = process.argv.indexOf('--bench');
  if (at >= 0) {
    runBenchHere(process.argv[at + 1]).then(
      (report) =>
        process.send?.(report, () => {
          // A module that runs on import finishes in its own time: let the process end by itself.
          if (report.kind === 'runs-on-import') process.disconnect();
          else process.exit(0);
        }),
      (error: unknown) => process.send?.({ kind: 'failed', message: errorText(error) } satisfies ChildReport, () => process.exit(1)),
    );
  } else {
    main(process.argv.slice(2)).catch((error: unknown) => {
      process.stderr.write(`${errorText(error)}\n`);
      process.exitCode = 1;
    });
  }
}
