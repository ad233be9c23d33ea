import { findRipgrep } from '../agent/workspace/search/find-ripgrep';
import { NodeSearcher } from '../agent/workspace/search/node-searcher';
import { RipgrepSearcher } from '../agent/workspace/search/ripgrep-searcher';
import type { TextSearcher } from '../agent/workspace/search/text-searcher';
import type { WorkspaceFs } from '../agent/workspace-fs';

/** ripgrep on PATH (or $GLASSBOX_RG) when there is one, else the Node fallback with the same output. */
export async function createSearcher(fs: WorkspaceFs): Promise<TextSearcher> {
  const rg = await findRipgrep({ explicitPath: process.env.GLASSBOX_RG || undefined });
  return rg.found ? new RipgrepSearcher(fs, rg.path) : new NodeSearcher(fs);
}
