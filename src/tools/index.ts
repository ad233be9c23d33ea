import type { ChangeJournal } from '../agent/workspace/change-journal';
import type { FactStore } from '../agent/memory/fact-store';
import type { TextSearcher } from '../agent/workspace/search/text-searcher';
import type { AnyTool } from '../agent/tool';
import type { EditorPort } from '../agent/editor/editor-port';
import { pathArgument, withProblemsAfterChange } from '../agent/editor/problems-after-change';
import { fileOutline } from './file-outline';
import { findSymbol } from './find-symbol';
import { findUsages } from './find-usages';
import { getProblems } from './get-problems';
import { goToDefinition } from './go-to-definition';
import { terminalOutput } from './terminal-output';
import { typeAt } from './type-at';
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
import { createRunCommand, runCommand, type VisibleCommandRunner } from './run-command';
import { searchText } from './search-text';
import { isWebSearchAvailable, webSearch } from './web-search';
import { writeFile } from './write-file';

export interface ToolDeps {
  readonly searcher: TextSearcher;
  /** Backups of what writes replace, so a run's changes can be undone (the CLI's safety net). */
  readonly journal?: ChangeJournal;
  /** Long-term memory: `remember` and `recall` are offered only with it. */
  readonly memory?: FactStore;
  /**
   * Web research is opt-in: with this set, `fetch_url` is offered, and `web_search` too when a
   * SearXNG-compatible JSON endpoint is given.
   */
  readonly web?: { readonly searchEndpoint?: string; readonly allowHosts?: readonly string[] };
  /** The person's extra sensitive globs: search_text and list_files leave those files out too. */
  readonly sensitivePaths?: readonly string[];
  /** What the editor knows (VS Code only): its tools are offered, and changes report problems. */
  readonly editor?: EditorToolDeps;
}

export interface EditorToolDeps {
  readonly port: EditorPort;
  /** Add what each write, edit, delete or command did to the Problems panel to its result. */
  readonly problemsAfterEdits: boolean;
  /** The longest a change waits for the language servers (PROBLEMS_WAIT_MS when absent). */
  readonly problemsWaitMs?: number;
  /** Set when commands run in a visible terminal (glassbox.commands.runIn: terminal). */
  readonly runCommandsVisibly?: VisibleCommandRunner;
  /** Offer the navigation tools in small-model mode too (get_problems is offered anyway). */
  readonly navigationForSmallModels?: boolean;
}

/** The tools only an editor can back, in the order the model is told about them. */
export const EDITOR_TOOL_NAMES: readonly string[] = ['get_problems', 'find_symbol', 'go_to_definition', 'find_usages', 'type_at', 'file_outline', 'terminal_output'];

/** Said once in a run's start line where there is no editor (the CLI). */
export const NO_EDITOR_NOTICE =
  `editor tools (${EDITOR_TOOL_NAMES.join(', ')}) and problems after edits are unavailable outside VS Code`;

/** Every tool the agent can be given, in the order the model is told about them. */
export function createTools(deps: ToolDeps): AnyTool[] {
  const tools: AnyTool[] = [
    readFile,
    listFiles(deps.searcher, { sensitivePaths: deps.sensitivePaths }),
    searchText(deps.searcher, { sensitivePaths: deps.sensitivePaths }),
    calculate,
    getCurrentTime,
    research,
    writeFile(deps.journal),
    editFile(deps.journal),
    deleteFile(deps.journal),
    deps.editor?.runCommandsVisibly ? createRunCommand(deps.editor.runCommandsVisibly) : runCommand,
  ];
  if (deps.editor) return withEditor(tools, deps.editor, deps.sensitivePaths).concat(moreTools(deps));
  return tools.concat(moreTools(deps));
}

function moreTools(deps: ToolDeps): AnyTool[] {
  const tools: AnyTool[] = [];
  if (deps.web) {
    tools.push(createFetchUrl({ allowHosts: deps.web.allowHosts }));
    const search = { endpoint: deps.web.searchEndpoint };
    if (isWebSearchAvailable(search)) tools.push(webSearch(search));
  }
  if (deps.memory) tools.push(remember(deps.memory), recall(deps.memory));
  return tools;
}

/**
 * The editor's tools after the read tools, and the changing tools wrapped to report problems.
 * In small-model mode only get_problems is offered unless the person turns the rest on: each
 * tool costs prompt tokens a small model cannot spare.
 */
function withEditor(tools: readonly AnyTool[], editor: EditorToolDeps, sensitivePaths: readonly string[] | undefined): AnyTool[] {
  const rules = { sensitivePaths };
  const forSmall = (tool: AnyTool): AnyTool => (editor.navigationForSmallModels ? tool : { ...tool, offeredToSmallModels: false });
  const navigation = [
    getProblems(editor.port, rules),
    forSmall(findSymbol(editor.port, rules)),
    forSmall(goToDefinition(editor.port, rules)),
    forSmall(findUsages(editor.port, rules)),
    forSmall(typeAt(editor.port, rules)),
    forSmall(fileOutline(editor.port, rules)),
  ];
  const lastCommand = editor.port.lastTerminalCommand?.bind(editor.port);
  if (lastCommand) navigation.push(forSmall(terminalOutput(lastCommand)));
  const changing = new Set(['write_file', 'edit_file', 'delete_file', 'run_command']);
  const wrapped = tools.map((tool) =>
    editor.problemsAfterEdits && changing.has(tool.name)
      ? withProblemsAfterChange(tool, editor.port, tool.name === 'run_command' ? 'watch' : pathArgument, { ...rules, timeoutMs: editor.problemsWaitMs })
      : tool,
  );
  const firstRisky = wrapped.findIndex((tool) => tool.risk !== 'read');
  return [...wrapped.slice(0, firstRisky), ...navigation, ...wrapped.slice(firstRisky)];
}

/** The read-only subset: all that is offered in Restricted Mode (an untrusted workspace). */
export function readOnly(tools: readonly AnyTool[]): AnyTool[] {
  return tools.filter((tool) => tool.risk === 'read');
}
