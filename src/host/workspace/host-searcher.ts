import * as vscode from 'vscode';
import type { Logger } from '../../agent/logger';
import { findRipgrep, type RipgrepLocation } from '../../agent/workspace/search/find-ripgrep';
import { NodeSearcher } from '../../agent/workspace/search/node-searcher';
import { RipgrepSearcher } from '../../agent/workspace/search/ripgrep-searcher';
import type { TextSearcher } from '../../agent/workspace/search/text-searcher';
import type { WorkspaceFs } from '../../agent/workspace-fs';
import { ripgrepCandidates } from './ripgrep-path';

let located: Promise<RipgrepLocation> | undefined;

/**
 * The searcher for a run: VS Code's own ripgrep when it can be found (looked up once per
 * session, on the first run, never at activation) and every folder is on the local disk;
 * otherwise the pure-Node searcher, which works on any file system.
 */
export async function createHostSearcher(fs: WorkspaceFs, logger: Logger): Promise<TextSearcher> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0 || folders.some((folder) => folder.uri.scheme !== 'file')) return new NodeSearcher(fs);
  located ??= findRipgrep({ candidates: ripgrepCandidates(vscode.env.appRoot) }).then((location) => {
    if (location.found) logger.info(`Search uses ripgrep at ${location.path} (${location.source}).`);
    else logger.info(`Search uses the built-in Node searcher: ${location.reason}`);
    return location;
  });
  const location = await located;
  return location.found ? new RipgrepSearcher(fs, location.path) : new NodeSearcher(fs);
}
