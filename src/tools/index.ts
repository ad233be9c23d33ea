import type { FactStore } from '../agent/memory/fact-store';
import type { TextSearcher } from '../agent/workspace/search/text-searcher';
import type { AnyTool } from '../agent/tool';
import { calculate } from './calculate';
import { deleteFile } from './delete-file';
import { editFile } from './edit-file';
import { createFetchUrl } from './fetch-url';
import { getCurrentTime } from './get-current-time';
import { listFiles } from './list-files';
import { readFile } from './read-file';
import { recall } from './recall';
import { remember } from './remember';
import { research } from './research';
import { runCommand } from './run-command';
import { searchText } from './search-text';
import { isWebSearchAvailable, webSearch } from './web-search';
import { writeFile } from './write-file';

export interface ToolDeps {
  readonly searcher: TextSearcher;
  /** Long-term memory: `remember` and `recall` are offered only with it. */
  readonly memory?: FactStore;
  /**
   * Web research is opt-in: with this set, `fetch_url` is offered, and `web_search` too when a
   * SearXNG-compatible JSON endpoint is given.
   */
  readonly web?: { readonly searchEndpoint?: string; readonly allowHosts?: readonly string[] };
  /** The person's extra sensitive globs: search_text and list_files leave those files out too. */
  readonly sensitivePaths?: readonly string[];
}

/** Every tool the agent can be given, in the order the model is told about them. */
export function createTools(deps: ToolDeps): AnyTool[] {
  const tools: AnyTool[] = [
    readFile,
    listFiles(deps.searcher, { sensitivePaths: deps.sensitivePaths }),
    searchText(deps.searcher, { sensitivePaths: deps.sensitivePaths }),
    calculate,
    getCurrentTime,
    research,
    writeFile(),
    editFile(),
    deleteFile(),
    runCommand,
  ];
  if (deps.web) {
    tools.push(createFetchUrl({ allowHosts: deps.web.allowHosts }));
    const search = { endpoint: deps.web.searchEndpoint };
    if (isWebSearchAvailable(search)) tools.push(webSearch(search));
  }
  if (deps.memory) tools.push(remember(deps.memory), recall(deps.memory));
  return tools;
}

/** The read-only subset: all that is offered in Restricted Mode (an untrusted workspace). */
export function readOnly(tools: readonly AnyTool[]): AnyTool[] {
  return tools.filter((tool) => tool.risk === 'read');
}
