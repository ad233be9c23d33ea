import type { WorkspaceFs } from '../workspace-fs';

/**
 * The hook folders a workspace's git repositories are configured to run (`core.hooksPath` in
 * `.git/config`, e.g. `.husky/_` or `tools/hooks`), as protected-path globs. git runs whatever
 * is there on commit, checkout or push — by the person or by an approved command — so a write
 * into it is a write of code that runs. `.git/` itself is protected already, so the setting
 * cannot be changed without a person's yes; this covers the folder it already names.
 */
export async function hooksPathGlobs(fs: WorkspaceFs): Promise<string[]> {
  const globs: string[] = [];
  const several = fs.roots.length > 1;
  for (const root of fs.roots) {
    const prefix = several ? `${root.name}/` : '';
    let config: string;
    try {
      config = new TextDecoder().decode(await fs.readFile(`${prefix}.git/config`, { maxBytes: 256 * 1024 }));
    } catch {
      continue; // no repository here, or .git is a file (a worktree): nothing to add
    }
    for (const path of hooksPathsIn(config)) {
      // An absolute path is outside the workspace (writes there are refused anyway) or names
      // the workspace by its full path, which confinement turns into the relative form.
      const relative = path.replace(/^\.\/+/, '').replace(/\/+$/, '');
      if (relative === '' || relative.startsWith('/') || /^[A-Za-z]:/.test(relative) || relative.startsWith('~')) continue;
      globs.push(`${prefix}${relative}/**`);
    }
  }
  return globs;
}

/** `hooksPath` values of `[core]` sections (git config syntax: case-insensitive keys, optional quotes). */
export function hooksPathsIn(config: string): string[] {
  const found: string[] = [];
  let inCore = false;
  for (const raw of config.split(/\r?\n/)) {
    const line = raw.trim();
    const section = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"[^"]*")?\s*\]/.exec(line);
    if (section) {
      inCore = section[1].toLowerCase() === 'core';
      continue;
    }
    if (!inCore) continue;
    const entry = /^hookspath\s*=\s*(.*?)\s*(?:[#;].*)?$/i.exec(line);
    if (entry) found.push(entry[1].replace(/^"(.*)"$/, '$1'));
  }
  return found;
}
