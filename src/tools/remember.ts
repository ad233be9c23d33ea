import { z } from 'zod';
import { defineTool, type ToolContext } from '../agent/tool';
import type { FactStore } from '../agent/memory/fact-store';

/**
 * `remember` writes only Glassbox's own memory, never the workspace, so it runs without
 * asking unless the person turns `glassbox.autoApprove.remember` off. The approval settings
 * read this default.
 */
export const rememberAutoApprovedByDefault = true;

export interface RememberToolOptions {
  /** The chat the run belongs to, stored as the fact's source. */
  readonly sourceChat?: (ctx: ToolContext) => string | undefined;
}

export const remember = (memory: FactStore, options: RememberToolOptions = {}) =>
  defineTool({
    name: 'remember',
    description:
      'Save one short, lasting fact about this project or the user\'s preferences to long-term memory, so later chats '
      + 'know it (e.g. "Tests run with `pnpm test:unit`", "The user wants British spelling"). Use it when the user asks '
      + 'you to remember something, or when you learn a stable fact that would save work next time. Not for the task\'s '
      + 'progress, guesses, or anything secret. Set global only for facts true in every project.',
    risk: 'write',
    // It writes Glassbox's memory, never a workspace file: no checkpoint before it.
    changesWorkspace: false,
    input: z.object({
      fact: z.string().min(1).max(1_000).describe('One self-contained sentence.'),
      tags: z.array(z.string().min(1).max(40)).max(10).optional().describe('A few keywords, e.g. ["testing"].'),
      global: z.boolean().optional().describe('True to recall it in every workspace, not only this one.'),
    }),
    async preview({ fact, global }) {
      return {
        summary: `Remember${global ? ' (in every workspace)' : ''}: ${fact.length > 80 ? `${fact.slice(0, 79)}…` : fact}`,
        detail: `Adds this fact to Glassbox's ${global ? 'global' : 'workspace'} memory (Glassbox: Show Memory lists and forgets facts):\n${fact}`,
      };
    },
    async execute({ fact, tags, global }, ctx) {
      const result = await memory.remember(fact, { tags, global, sourceChat: options.sourceChat?.(ctx), signal: ctx.signal });
      const where = result.fact.global ? 'global memory' : 'this workspace\'s memory';
      const note = result.redactions > 0 ? ` (${result.redactions} secret(s) were redacted first)` : '';
      return result.merged
        ? `Updated an existing fact in ${where}${note}: ${result.fact.text} [${result.fact.id}]`
        : `Remembered in ${where}${note}: ${result.fact.text} [${result.fact.id}]`;
    },
  });
