import type { ApprovalSettings } from '../safety/approval';
import { createPathRules } from '../safety/path-rules';
import type { WorkspaceFs } from '../workspace-fs';

/**
 * The sensitive paths among a call's path arguments (`path`, `paths`), as written and as they
 * resolve (a link to .env is as sensitive as .env): a failed preview on one of them must not
 * quote the file to the model.
 */
export async function sensitivePathsOf(args: unknown, settings: ApprovalSettings, fs: WorkspaceFs): Promise<string[]> {
  const rules = createPathRules(settings);
  const found = new Set<string>();
  for (const path of pathArguments(args)) {
    if (rules.isSensitive(path)) found.add(path);
    const resolved = await fs.normalize(path).catch(() => undefined);
    if (resolved !== undefined && rules.isSensitive(resolved)) found.add(resolved);
  }
  return [...found];
}

function pathArguments(args: unknown): string[] {
  if (!args || typeof args !== 'object') return [];
  const { path, paths } = args as { path?: unknown; paths?: unknown };
  const found = typeof path === 'string' ? [path] : [];
  if (Array.isArray(paths)) found.push(...paths.filter((p): p is string => typeof p === 'string'));
  return found;
}
