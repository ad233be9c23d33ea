import { z } from 'zod';
import { defineTool } from '../agent/tool';
import type { FactStore } from '../agent/memory/fact-store';

export const recall = (memory: FactStore) =>
  defineTool({
    name: 'recall',
    description:
      'Search long-term memory (facts remembered in earlier chats of this workspace, and global ones) for facts about '
      + 'a topic. Use it when the task may depend on a convention, command or preference learned before and the facts '
      + 'already shown in the system prompt do not cover it. Returns the best matches with scores.',
    risk: 'read',
    input: z.object({
      query: z.string().min(1).max(2_000).describe('What you want to know about, in a few words.'),
      k: z.number().int().min(1).max(20).default(5).describe('How many facts at most.'),
    }),
    async execute({ query, k }, ctx) {
      const matches = await memory.recallFacts(query, k, { signal: ctx.signal, markUsed: true });
      if (matches.length === 0) {
        return memory.size === 0 ? 'Memory is empty: nothing has been remembered yet.' : `No remembered fact matches "${query}".`;
      }
      const lines = matches.map(
        (match, i) => `${i + 1}. ${match.fact.text}\n   [${match.fact.id}; score ${match.score.toFixed(2)}; ${match.why}${match.fact.global ? '; global' : ''}]`,
      );
      // Facts may have been remembered from content the agent read (a file, a web page):
      // risky calls that follow are flagged like after any outside content.
      return { output: lines.join('\n'), taintSource: 'long-term memory' };
    },
  });
