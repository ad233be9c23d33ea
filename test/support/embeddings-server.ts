/**
 * An OpenAI-compatible `POST /v1/embeddings` endpoint for tests and benchmarks, answering
 * with a deterministic local embedding, so memory code is exercised through the real
 * `openai` SDK. The embedding is made for tests only: words of a few hand-made concept
 * groups ("package", "pnpm", "dependency", …) share a dimension, so paraphrases that share
 * no word land near each other, as with a real model; every other word gets a hashed one.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { unitVector, type Embedder } from '../../src/agent/memory/embedder';

/** Synonym groups: every word of a group adds to that group's dimension. */
export const CONCEPT_GROUPS: readonly (readonly string[])[] = [
  ['package', 'packages', 'pnpm', 'npm', 'yarn', 'dependency', 'dependencies', 'install', 'lockfile', 'manager', 'modules'],
  ['test', 'tests', 'testing', 'vitest', 'jest', 'mocha', 'spec', 'specs', 'suite', 'assertions', 'unit'],
  ['database', 'postgres', 'postgresql', 'sql', 'migration', 'migrations', 'schema', 'tables', 'db', 'queries'],
  ['deploy', 'deployment', 'release', 'production', 'ship', 'publish', 'rollout', 'staging'],
  ['style', 'formatting', 'prettier', 'indent', 'indentation', 'tabs', 'spaces', 'lint', 'eslint', 'linter'],
  ['auth', 'login', 'authentication', 'session', 'sessions', 'oauth', 'sign', 'password', 'credentials'],
  ['docker', 'container', 'containers', 'compose', 'image', 'images', 'kubernetes'],
  ['spelling', 'british', 'language', 'english', 'wording', 'docs', 'documentation', 'prose'],
  ['branch', 'branches', 'git', 'commit', 'commits', 'merge', 'rebase', 'pull', 'request'],
  ['performance', 'slow', 'fast', 'latency', 'speed', 'benchmark', 'profiling', 'cache', 'caching'],
  ['log', 'logs', 'logging', 'logger', 'trace', 'tracing', 'telemetry', 'monitoring'],
  ['api', 'endpoint', 'endpoints', 'rest', 'graphql', 'route', 'routes', 'http', 'server'],
];

const conceptOf = new Map<string, number>();
CONCEPT_GROUPS.forEach((group, index) => group.forEach((word) => conceptOf.set(word, index)));

/** A unit vector of `dimensions` numbers; equal texts give equal vectors, always. */
export function conceptEmbedding(text: string, dimensions = 64): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    if (word.length < 3) continue;
    const concept = conceptOf.get(word);
    if (concept !== undefined) vector[concept] += 2;
    else {
      const hash = createHash('sha1').update(word).digest();
      vector[CONCEPT_GROUPS.length + (hash.readUInt32BE(0) % (dimensions - CONCEPT_GROUPS.length))] += 1;
    }
  }
  const length = Math.hypot(...vector);
  return length > 0 ? vector.map((x) => x / length) : vector;
}

/** The same embedding without HTTP, for benchmarks that must not time a network round trip. */
export class LocalConceptEmbedder implements Embedder {
  readonly model = 'local-concepts';
  calls = 0;
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    this.calls++;
    return texts.map((text) => unitVector(Float32Array.from(conceptEmbedding(text))));
  }
}

export interface EmbeddingsServer {
  readonly baseURL: string;
  /** The `input` of every request, in order. */
  readonly requests: (readonly string[])[];
  /** While true, requests fail with HTTP 500 (to test fallbacks). */
  failing: boolean;
  close(): Promise<void>;
}

export async function startEmbeddingsServer(embed: (text: string) => number[] = conceptEmbedding): Promise<EmbeddingsServer> {
  const requests: (readonly string[])[] = [];
  const state = { failing: false };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || !req.url?.endsWith('/embeddings')) {
        return reply(404, { error: { message: `No route ${req.method} ${req.url}`, type: 'invalid_request_error' } });
      }
      if (state.failing) return reply(500, { error: { message: 'embeddings are down (test)', type: 'server_error' } });
      let body: { model?: unknown; input?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      } catch {
        return reply(400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
      }
      const inputs = typeof body.input === 'string' ? [body.input] : body.input;
      if (!Array.isArray(inputs) || !inputs.every((item): item is string => typeof item === 'string')) {
        return reply(400, { error: { message: 'input must be a string or an array of strings', type: 'invalid_request_error' } });
      }
      requests.push(inputs);
      reply(200, {
        object: 'list',
        model: body.model,
        data: inputs.map((text, index) => ({ object: 'embedding', index, embedding: embed(text) })),
        usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
      });
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    get failing() {
      return state.failing;
    },
    set failing(value: boolean) {
      state.failing = value;
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
