/**
 * What a restore changes: the difference between a checkpoint's tree and the workspace's tree
 * now, found by walking only folders whose hashes differ. Files too large to store are never
 * written or deleted; they are listed so the preview can say so.
 */
import type { TreeEntry, TreeReader } from './tree';

export interface FileChange {
  readonly path: string;
  /** `create`: missing now; `modify`: content or mode differs; `delete`: not in the checkpoint. */
  readonly kind: 'create' | 'modify' | 'delete';
  /** The checkpoint's content (absent for a delete). */
  readonly hash?: string;
  readonly mode?: number;
  /** Current content, when the file exists now (for the preview's diff). */
  readonly currentHash?: string;
}

export interface RestorePlan {
  readonly changes: readonly FileChange[];
  /** Folders to create (shallowest first) and to remove once empty (deepest first). */
  readonly createFolders: readonly string[];
  readonly removeFolders: readonly string[];
  /** Files left as they are because they are larger than the per-file limit. */
  readonly leftAlone: readonly { readonly path: string; readonly size: number }[];
}

export function planRestore(trees: TreeReader, target: string, current: string): RestorePlan {
  const plan = { changes: [] as FileChange[], createFolders: [] as string[], removeFolders: [] as string[], leftAlone: [] as { path: string; size: number }[] };
  walk(trees, target, current, '', plan);
  plan.removeFolders.reverse(); // collected parent-first; removed child-first
  return plan;
}

type MutablePlan = { changes: FileChange[]; createFolders: string[]; removeFolders: string[]; leftAlone: { path: string; size: number }[] };

function walk(trees: TreeReader, target: string | undefined, current: string | undefined, prefix: string, plan: MutablePlan): void {
  if (target === current) return;
  const wanted = byName(target ? trees.read(target) : []);
  const present = byName(current ? trees.read(current) : []);
  const names = [...new Set([...wanted.keys(), ...present.keys()])].sort();
  for (const name of names) {
    const path = prefix ? `${prefix}/${name}` : name;
    const want = wanted.get(name);
    const have = present.get(name);
    if (want?.k === 's' || have?.k === 's') {
      const size = want?.k === 's' ? want.s : have?.k === 's' ? have.s : 0;
      plan.leftAlone.push({ path, size });
      continue;
    }
    if (want?.k === 'd') {
      if (have?.k === 'f') plan.changes.push({ path, kind: 'delete', currentHash: have.h });
      if (have?.k !== 'd') plan.createFolders.push(path);
      walk(trees, want.h, have?.k === 'd' ? have.h : undefined, path, plan);
    } else if (want?.k === 'f') {
      if (have?.k === 'd') {
        plan.removeFolders.push(path);
        walk(trees, undefined, have.h, path, plan);
        plan.changes.push({ path, kind: 'create', hash: want.h, mode: want.m });
      } else if (!have) {
        plan.changes.push({ path, kind: 'create', hash: want.h, mode: want.m });
      } else if (have.k === 'f' && (have.h !== want.h || have.m !== want.m)) {
        plan.changes.push({ path, kind: 'modify', hash: want.h, mode: want.m, currentHash: have.h });
      }
    } else if (have?.k === 'f') {
      plan.changes.push({ path, kind: 'delete', currentHash: have.h });
    } else if (have?.k === 'd') {
      plan.removeFolders.push(path);
      walk(trees, undefined, have.h, path, plan);
    }
  }
}

function byName(tree: readonly TreeEntry[]): Map<string, TreeEntry> {
  return new Map(tree.map((entry) => [entry.n, entry]));
}
