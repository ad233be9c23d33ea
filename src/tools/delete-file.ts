import { z } from 'zod';
import type { ChangeJournal } from '../agent/workspace/change-journal';
import { ToolError } from '../agent/errors';
import { type ApprovalPreview, defineTool } from '../agent/tool';
import type { WorkspaceFs } from '../agent/workspace-fs';
import { countLines, readOldText } from './write-file';
import { formatBytes, plural } from '../agent/format';

export const deleteFile = (journal?: ChangeJournal) =>
  defineTool({
    name: 'delete_file',
    description:
      'Delete one file (or an empty folder) from the workspace; it goes to the trash where the editor has one. ' +
      'Use it only when the task calls for removing a file, never to "clean up" files you were not asked about.',
    risk: 'write',
    input: z.object({
      path: z.string().min(1).describe('Workspace-relative path of the file or empty folder to delete.'),
    }),
    async preview({ path }, ctx) {
      const target = await ctx.fs.normalize(path);
      return describeDeletion(ctx.fs, target, ctx.signal);
    },
    async execute({ path }, ctx) {
      const target = await ctx.fs.normalize(path);
      const { summary } = await describeDeletion(ctx.fs, target, ctx.signal);
      ctx.signal.throwIfAborted();
      await journal?.recordBefore(target);
      await ctx.fs.delete(target, { useTrash: true });
      return `${summary.replace(/^Delete/, 'Deleted')}.`;
    },
  });

async function describeDeletion(fs: WorkspaceFs, path: string, signal: AbortSignal): Promise<ApprovalPreview> {
  const stat = await fs.stat(path); // FileNotFoundError names the path for the model
  if (stat.kind === 'directory') {
    const entries = await fs.readDirectory(path);
    if (entries.length > 0) {
      throw new ToolError(`"${path}" is a folder with ${plural(entries.length, 'item')}; delete_file removes files and empty folders only.`);
    }
    return { summary: `Delete empty folder ${path}`, detail: `Removes the empty folder ${path}.`, paths: [path] };
  }
  const old = await readOldText(fs, path, signal);
  if (old.kind === 'text') {
    const lines = plural(countLines(old.text), 'line');
    return {
      summary: `Delete ${path} (${lines}, ${formatBytes(old.bytes)})`,
      detail: `Deletes ${path}: ${lines}, ${formatBytes(old.bytes)}. It goes to the trash where the platform has one.`,
      paths: [path],
      diff: { path, before: old.text, after: '' },
    };
  }
  const size = formatBytes(old.kind === 'opaque' ? old.bytes : stat.size);
  const kind = old.kind === 'opaque' ? `${old.why} file` : 'file';
  return {
    summary: `Delete ${path} (${kind}, ${size})`,
    detail: `Deletes ${path}, a ${kind} of ${size}. It goes to the trash where the platform has one.`,
    paths: [path],
  };
}
