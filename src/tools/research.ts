import { z } from 'zod';
import { defineTool } from '../agent/tool';

/**
 * Hands a question to a research helper: a child agent with read tools only, a fresh context
 * and its own share of the run's budget. Its work nests under this call in the trace; its
 * answer is this call's result.
 */
export const research = defineTool({
  name: 'research',
  description:
    'Hand one focused question to a research helper that reads and searches the workspace on its own and answers with what it found. ' +
    'Use it when answering needs many files looked at and you only need the conclusion, or for several independent questions at once: ' +
    'call it several times in one message and the helpers work in parallel. The helper cannot change anything, and cannot start helpers itself. ' +
    'Give `paths` when you know where it should start.',
  risk: 'read',
  input: z.object({
    question: z.string().trim().min(1, 'say what the helper should find out'),
    paths: z.array(z.string().min(1)).max(20).optional(),
  }),
  // The child's own budget (steps, cost, the parent's remaining time) bounds it; a tool
  // timeout made for single reads would cut every helper short.
  timeoutMs: 15 * 60_000,
  truncationHint: 'Ask a narrower question to get a shorter answer.',
  async execute(args, ctx) {
    if (!ctx.delegate) throw new Error('research is not available here: a research helper cannot start another one.');
    return ctx.delegate({ question: args.question, ...(args.paths ? { paths: args.paths } : {}) }, ctx.signal);
  },
});
