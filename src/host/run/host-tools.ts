import type { Logger } from '../../agent/logger';
import type { AnyTool } from '../../agent/tool';
import type { MemoryAccess } from '../memory/memory-access';
import type { GlassboxSettings } from '../settings/settings-values';
import { createHostSearcher } from '../workspace/host-searcher';
import type { VscodeWorkspaceFs } from '../workspace/vscode-workspace-fs';
import { editorToolDeps } from '../editor/editor-tool-deps';
import type { TerminalReader } from '../editor/terminal-reader';

/** The built-in tools of a run in the extension: read-only in Restricted Mode. */
export function hostTools(logger: Logger, memory: MemoryAccess, terminal?: TerminalReader) {
  return async (fs: VscodeWorkspaceFs, settings: GlassboxSettings, restricted: boolean): Promise<readonly AnyTool[]> => {
    // Loaded on the first run: the tools pull in large libraries (math.js) that activation
    // should not pay for.
    const { createTools, readOnly } = await import('../../tools');
    const tools = createTools({
      searcher: await createHostSearcher(fs, logger),
      web: settings.webTools ? { searchEndpoint: settings.webSearchEndpoint, allowHosts: settings.webAllowHosts } : undefined,
      memory: await memory.get(),
      sensitivePaths: settings.sensitivePaths,
      editor: editorToolDeps(fs, settings, terminal),
    });
    return restricted ? readOnly(tools) : tools;
  };
}
