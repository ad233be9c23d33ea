/** The UI scenarios, in the order they run. */
import type { UiScenario } from '../harness/ui-scenario';
import { apiKey } from './api-key';
import { approval } from './approval';
import { checkpointRestore } from './checkpoint-restore';
import { consoleClean } from './console-clean';
import { firstMinute } from './first-minute';
import { killMidRun } from './kill-mid-run';
import { mcpServers } from './mcp-servers';
import { memoryForget } from './memory-forget';
import { paletteAsk } from './palette-ask';
import { planFirst } from './plan-first';
import { providerPicker } from './provider-picker';
import { reload } from './reload';
import { sidebarChat } from './sidebar-chat';
import { sidebarLayout } from './sidebar-layout';
import { stopRun } from './stop-run';
import { problemsAfterEdit } from './problems-after-edit';
import { thinking } from './thinking';
import { viewToolbars } from './view-toolbars';
import { walkthrough } from './walkthrough';
import { workspaceGuardrails } from './workspace-guardrails';

export const uiScenarios: readonly UiScenario[] = [
  paletteAsk,
  sidebarChat,
  viewToolbars,
  thinking,
  approval,
  consoleClean,
  checkpointRestore,
  stopRun,
  reload,
  killMidRun,
  memoryForget,
  apiKey,
  providerPicker,
  mcpServers,
  planFirst,
  problemsAfterEdit,
  workspaceGuardrails,
  firstMinute,
  sidebarLayout,
  walkthrough,
];
