/** Every file under a folder with its bytes (base64) and permission bits, for exact comparisons. */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type TreeSnapshot = Record<string, { readonly content: string; readonly mode: number } | 'folder'>;

export function snapshotTree(root: string, skip: (path: string) => boolean = () => false): TreeSnapshot {
  const out: TreeSnapshot = {};
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = prefix ? `${prefix}/${name}` : name;
      if (skip(path)) continue;
      const full = join(dir, name);
      const stat = lstatSync(full);
      if (stat.isDirectory()) {
        out[path] = 'folder';
        walk(full, path);
      } else {
        out[path] = { content: readFileSync(full).toString('base64'), mode: stat.mode & 0o7777 };
      }
    }
  };
  walk(root, '');
  return out;
}
