/**
 * Long-term memory and chat history at scale.
 *   1. Recall latency over 10,000 facts (p50/p95), lexical alone and hybrid with a local
 *      in-process embedder (so no network time is counted), task-length and search-length queries.
 *   2. What VS Code's Memento would hold with 10,000 facts and 500 chats: the JSON the
 *      KeyValueStores serialise. Transcripts are files, so it must stay at a few MB.
 *   3. Recall quality on a labelled set built here: 24 facts each with a keyword query and a
 *      paraphrase query (sharing few or no words), hidden among 2,000 distractor facts;
 *      recall@5 for lexical, vector (local concept embedder) and hybrid ranking.
 * Run alone: `node dist-test/test/bench/memory.js` (env MEMORY_BENCH_QUERIES changes the query count).
 */
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatHistory } from '../../src/agent/history/chat-history';
import { InMemoryKeyValueStore } from '../../src/agent/history/key-value-store';
import { FactStore } from '../../src/agent/memory/fact-store';
import { nearestVectors } from '../../src/agent/memory/hybrid-rank';
import { LocalConceptEmbedder, CONCEPT_GROUPS } from '../support/embeddings-server';
import { seededRandom } from './support/seeded-random';

const FACTS = 10_000;
const CHATS = 500;
const QUERIES = Number(process.env.MEMORY_BENCH_QUERIES ?? 400);


const rand = seededRandom(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];

// A vocabulary with a natural (Zipf-like) spread: a few words common, most rare.
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'pa', 'qui', 'do', 'fe', 'gu', 'hy', 'ja'];
const VOCABULARY = Array.from({ length: 3_000 }, (_, i) => SYLLABLES[i % 16] + SYLLABLES[(i >> 4) % 16] + SYLLABLES[(i >> 8) % 16] + (i >> 12 || ''));
const zipfWord = () => VOCABULARY[Math.min(VOCABULARY.length - 1, Math.floor(Math.pow(rand(), 2.2) * VOCABULARY.length))];
const CONCEPT_WORDS = CONCEPT_GROUPS.flat();
const TEMPLATES = ['The {w} module {w} the {w} before {w}', '{w} {c} runs in {w} with {w}', 'Always {w} the {c} {w} after {w} {w}', 'Ask before changing {w} {c} or {w}'];

function syntheticFact(): string {
  return pick(TEMPLATES).replace(/\{(w|c)\}/g, (_, kind: string) => (kind === 'c' && rand() < 0.6 ? pick(CONCEPT_WORDS) : zipfWord()));
}

/** The labelled set: [fact, keyword query, paraphrase query]. */
const LABELLED: readonly [string, string, string][] = [
  ['Use pnpm, never npm, to install packages in this repository', 'install packages with pnpm', 'which dependency manager should I use'],
  ['Unit tests run with vitest via pnpm test:unit', 'run the unit tests', 'how do I check my spec suite passes'],
  ['Database migrations live in db/migrations and run with make migrate', 'where are the migrations', 'change the postgres schema tables'],
  ['Production releases are cut from the release branch every Tuesday', 'when are production releases', 'ship a new version to staging and rollout'],
  ['Indent with tabs; prettier formats on commit', 'indent with tabs', 'what formatting style does eslint enforce'],
  ['Login sessions expire after 30 minutes of inactivity', 'when do login sessions expire', 'oauth authentication timeout for a user'],
  ['Integration tests need docker compose up first', 'docker compose before integration tests', 'start the containers images for kubernetes'],
  ['The user wants British spelling in all documentation', 'British spelling in documentation', 'which english wording for the docs prose'],
  ['Rebase feature branches on main instead of merging', 'rebase feature branches', 'git commit pull request workflow'],
  ['The search endpoint must answer within 200 ms at p95', 'search endpoint latency', 'performance budget is it too slow'],
  ['Structured logs go through the pino logger, never console.log', 'which logger for logs', 'tracing and telemetry monitoring'],
  ['The public REST API is versioned under /v2 routes', 'REST API version routes', 'graphql http server endpoints'],
  ['Lockfile changes need a reviewer from the platform team', 'lockfile changes reviewer', 'who approves dependency updates'],
  ['Snapshot tests are updated with jest -u only after review', 'update snapshot tests', 'refresh the assertions of the mocha suite'],
  ['Seed data for local postgres comes from scripts/seed.sql', 'seed data for postgres', 'populate the local database queries'],
  ['Feature flags are read from config/flags.yaml at startup', 'feature flags config file', 'toggle a behaviour without a deploy'],
  ['Passwords are hashed with argon2id, never bcrypt', 'hash passwords with argon2id', 'store credentials for sign in safely'],
  ['The CI image is built from docker/ci.Dockerfile', 'CI image Dockerfile', 'container used by the build pipeline'],
  ['Commit messages follow Conventional Commits', 'commit message format', 'how to word a git merge description'],
  ['The cache layer uses Redis with a 5 minute TTL', 'redis cache TTL', 'caching speed of repeated lookups'],
  ['Error reports go to Sentry with the release tag', 'error reports Sentry', 'monitoring of crashes in production'],
  ['Public endpoints need rate limiting of 100 requests per minute', 'rate limiting endpoints', 'protect the http server from abuse'],
  ['Documentation pages are written in Markdown under docs/', 'documentation in Markdown', 'where does prose about the project go'],
  ['Staging deploys require the VPN', 'staging deploys VPN', 'network access needed to publish a rollout'],
];

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function time<T>(run: () => Promise<T>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function latency(store: FactStore, queries: readonly string[]): Promise<{ p50: number; p95: number }> {
  for (const query of queries.slice(0, 20)) await store.recallFacts(query, 5); // warm-up
  const times: number[] = [];
  for (const query of queries) times.push(await time(() => store.recallFacts(query, 5)));
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function fill(store: FactStore, facts: readonly string[]): Promise<void> {
  for (const fact of facts) await store.remember(fact);
}

async function main(): Promise<void> {
  const rows: string[] = [];
  const facts = Array.from({ length: FACTS }, syntheticFact);
  const taskQueries = Array.from({ length: QUERIES }, () => `Please ${Array.from({ length: 12 }, () => (rand() < 0.3 ? pick(CONCEPT_WORDS) : zipfWord())).join(' ')}`);
  const searchQueries = Array.from({ length: QUERIES }, () => `${zipfWord()} ${pick(CONCEPT_WORDS)}`);

  // 1. Latency.
  const workspace = new InMemoryKeyValueStore();
  const global = new InMemoryKeyValueStore();
  const lexical = new FactStore({ workspace, global, maxFacts: FACTS });
  const fillMs = await time(() => fill(lexical, facts));
  const hybrid = new FactStore({ workspace: new InMemoryKeyValueStore(), global: new InMemoryKeyValueStore(), maxFacts: FACTS, embedder: new LocalConceptEmbedder() });
  await fill(hybrid, facts);
  for (const [name, store] of [['lexical', lexical], ['hybrid (local embedder)', hybrid]] as const) {
    for (const [kind, queries] of [['task, 13 words', taskQueries], ['search, 2 words', searchQueries]] as const) {
      const { p50, p95 } = await latency(store, queries);
      rows.push(`| recall latency, ${name}, ${kind} (${lexical.size} facts) | p50 ${p50.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms |`);
    }
  }
  rows.push(`| remember 10,000 facts one by one (dedupe check each) | ${fillMs.toFixed(0)} ms (${((fillMs / FACTS) * 1000).toFixed(0)} µs each) |`);

  // 2. Memento size: 10,000 facts plus 500 chats' index.
  await lexical.flush();
  const dir = await fs.mkdtemp(join(tmpdir(), 'glassbox-bench-'));
  try {
    const history = new ChatHistory({ dir, index: workspace, maxChatBytes: 20 * 2 ** 20, maxTotalBytes: 500 * 2 ** 20 });
    for (let c = 0; c < CHATS; c++) {
      const chat = await history.create(`Chat ${c}: ${syntheticFact()}`);
      for (let m = 0; m < 20; m++) history.append(chat.id, { kind: 'message', message: { role: m % 2 ? 'assistant' : 'user', content: `${syntheticFact()} `.repeat(20) } });
    }
    await history.flush();
    const factsBytes = workspace.raw('glassbox.memory.facts')?.length ?? 0;
    const indexBytes = workspace.raw('glassbox.history.index')?.length ?? 0;
    rows.push(`| Memento: 10,000 facts | ${(factsBytes / 2 ** 20).toFixed(2)} MB |`);
    rows.push(`| Memento: index of 500 chats (20 messages each) | ${(indexBytes / 1024).toFixed(0)} KB |`);
    rows.push(`| Memento total (workspaceState) | ${(workspace.serializedBytes() / 2 ** 20).toFixed(2)} MB |`);
    rows.push(`| transcripts on disk (files, not Memento) | ${(history.totalBytes() / 2 ** 20).toFixed(1)} MB |`);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }

  // 3. Quality: recall@5 on the labelled set among 2,000 distractors.
  const embedder = new LocalConceptEmbedder();
  const lexicalOnly = new FactStore({ workspace: new InMemoryKeyValueStore(), global: new InMemoryKeyValueStore() });
  const both = new FactStore({ workspace: new InMemoryKeyValueStore(), global: new InMemoryKeyValueStore(), embedder });
  const distractors = facts.slice(0, 2_000);
  const targetIds: string[][] = [[], []];
  for (const store of [lexicalOnly, both]) await fill(store, distractors);
  for (const [fact] of LABELLED) {
    targetIds[0].push((await lexicalOnly.remember(fact)).fact.id);
    targetIds[1].push((await both.remember(fact)).fact.id);
  }
  const vectors = new Map<string, Float32Array>();
  const texts = both.list();
  const embedded = await embedder.embed(texts.map((f) => f.text));
  texts.forEach((fact, i) => vectors.set(fact.id, embedded[i]));

  for (const [label, column] of [['keyword queries', 1], ['paraphrase queries', 2]] as const) {
    let lexicalHits = 0;
    let vectorHits = 0;
    let hybridHits = 0;
    for (let i = 0; i < LABELLED.length; i++) {
      const query = LABELLED[i][column];
      if ((await lexicalOnly.recallFacts(query, 5)).some((m) => m.fact.id === targetIds[0][i])) lexicalHits++;
      if ((await both.recallFacts(query, 5)).some((m) => m.fact.id === targetIds[1][i])) hybridHits++;
      const [queryVector] = await embedder.embed([query]);
      if (nearestVectors(queryVector, vectors, 5).some((hit) => hit.id === targetIds[1][i])) vectorHits++;
    }
    const at5 = (hits: number) => `${((hits / LABELLED.length) * 100).toFixed(0)}%`;
    rows.push(`| recall@5, ${label} (${LABELLED.length} among 2,000 distractors): lexical / vector / hybrid | ${at5(lexicalHits)} / ${at5(vectorHits)} / ${at5(hybridHits)} |`);
  }

  console.log('| Memory benchmark | Result |');
  console.log('| --- | --- |');
  for (const row of rows) console.log(row);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
