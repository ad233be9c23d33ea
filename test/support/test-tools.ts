/**
 * Small real tools for loop tests: they do what they say (no canned answers) so a test can
 * see the loop's edges without depending on the workspace tools.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineTool } from '../../src/agent/tool';

/** Upper-cases its input; records how many calls ran at once. */
export function shoutTool(stats = { running: 0, maxRunning: 0, order: [] as string[] }, delayMs = 30) {
  return Object.assign(
    defineTool({
      name: 'shout',
      description: 'Upper-case a word. Use when asked to shout.',
      risk: 'read',
      input: z.object({ word: z.string() }),
      async execute({ word }, ctx) {
        stats.running++;
        stats.maxRunning = Math.max(stats.maxRunning, stats.running);
        stats.order.push(`start:${word}`);
        try {
          await sleep(delayMs, undefined, { signal: ctx.signal });
          return word.toUpperCase();
        } finally {
          stats.running--;
          stats.order.push(`end:${word}`);
        }
      },
    }),
    { stats },
  );
}

/** Writes a note file: a risky (write) tool with a preview. */
export function noteTool(stats = { running: 0, maxRunning: 0, order: [] as string[] }) {
  return defineTool({
    name: 'write_note',
    description: 'Write a note file in the workspace.',
    risk: 'write',
    input: z.object({ path: z.string(), text: z.string() }),
    async preview({ path, text }, ctx) {
      const normalized = await ctx.fs.normalize(path);
      return { summary: `Write ${normalized}`, detail: `${text.length} characters to ${normalized}`, paths: [normalized] };
    },
    async execute({ path, text }, ctx) {
      stats.running++;
      stats.maxRunning = Math.max(stats.maxRunning, stats.running);
      stats.order.push(`start:${path}`);
      try {
        await sleep(20, undefined, { signal: ctx.signal });
        await ctx.fs.writeFile(path, new TextEncoder().encode(text));
        return `Wrote ${text.length} characters to ${path}.`;
      } finally {
        stats.running--;
        stats.order.push(`end:${path}`);
      }
    },
  });
}

/** Reads a file as text and marks its content as coming from outside the prompt. */
export const catTool = defineTool({
  name: 'cat',
  description: 'Read a whole text file.',
  risk: 'read',
  input: z.object({ path: z.string() }),
  async execute({ path }, ctx) {
    const bytes = await ctx.fs.readFile(path, { signal: ctx.signal });
    return { output: new TextDecoder().decode(bytes), taintSource: await ctx.fs.normalize(path) };
  },
});

/** Produces `lines` numbered lines: for truncation and context-budget tests. */
export const linesTool = defineTool({
  name: 'lines',
  description: 'Print numbered lines.',
  risk: 'read',
  input: z.object({ lines: z.number().int().min(1), tag: z.string().default('') }),
  async execute({ lines, tag }) {
    return Array.from({ length: lines }, (_, i) => `${tag}line ${i + 1} of ${lines}: the quick brown fox jumps over the lazy dog`).join('\n');
  },
});

/** Waits; with `ignoreSignal` it is a stuck tool that never looks at its signal. */
export function waitTool(options: { ignoreSignal?: boolean; timeoutMs?: number } = {}) {
  return defineTool({
    name: 'wait',
    description: 'Wait a number of milliseconds.',
    risk: 'read',
    input: z.object({ ms: z.number().int().min(0) }),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    async execute({ ms }, ctx) {
      if (options.ignoreSignal) await sleep(ms);
      else await sleep(ms, undefined, { signal: ctx.signal });
      return `waited ${ms} ms`;
    },
  });
}
