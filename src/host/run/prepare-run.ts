import * as vscode from 'vscode';
import { storeCheckpointer } from '../../agent/checkpoints/checkpointer';
import type { CheckpointStore } from '../../agent/checkpoints/checkpoint-store';
import { messageOf } from '../../agent/format';
import type { RecalledFact } from '../../agent/events';
import type { Logger } from '../../agent/logger';
import { discoverContextWindow } from '../../agent/model/context-window';
import { OpenAIModel } from '../../agent/model/openai-model';
import type { RunParts } from '../../agent/run/build-run';
import { allowancePatternFor } from '../../agent/safety/approval-policy';
import type { AnyTool, ToolSource } from '../../agent/tool';
import { createApprovalDialog } from '../approvals/approval-dialog';
import type { ProposedContentProvider } from '../approvals/proposed-content';
import type { ApiKeyStore } from '../providers/api-key';
import { SELECT_MODEL_COMMAND, SELECT_PROVIDER_COMMAND, type Notice } from '../providers/endpoint-problem-notice';
import { modelForRun, type RunModel } from '../providers/model-for-run';
import { endpointOf, type GlassboxSettings } from '../settings/settings-values';
import { VscodeWorkspaceFs } from '../workspace/vscode-workspace-fs';
import { hostApprovalSettings } from './host-run-settings';
import { hostInstructions } from './host-instructions';

export interface RunPreparationDeps {
  readonly apiKeys: ApiKeyStore;
  readonly logger: Logger;
  readonly proposed: ProposedContentProvider;
  /** The tools for a run; `readOnly` in Restricted Mode. */
  readonly buildTools: (fs: VscodeWorkspaceFs, settings: GlassboxSettings, readOnly: boolean) => Promise<readonly AnyTool[]>;
  /** More tools for a run (MCP servers), started by the run itself within their bound. */
  readonly toolSources?: (restricted: boolean) => readonly ToolSource[];
  /** This workspace's checkpoint store; undefined where there is none (no folder on disk). */
  readonly checkpoints?: () => CheckpointStore | undefined;
  /** Long-term memory for the system prompt; absent when memory is off. */
  readonly recall?: (settings: GlassboxSettings) => ((task: string, signal: AbortSignal) => Promise<readonly RecalledFact[]>) | undefined;
}

/** Everything of a run that does not depend on the chat it runs in. */
export interface PreparedRun {
  readonly parts: Omit<RunParts, 'task' | 'conversation' | 'logger' | 'signal' | 'runId' | 'decidePlan'>;
  /** The model's context window: the provider's or server's word, else the setting. */
  readonly contextTokens: number;
}

/**
 * Makes what a run of the extension needs from the settings: the key, the model, the tools (read
 * only in Restricted Mode), the approval dialog and the checkpoints. Returns undefined when the
 * run cannot start; the person has then been told why.
 */
export class RunPreparation {
  /** Context windows servers reported, per endpoint and model (looked up once per session). */
  readonly #windows = new Map<string, Promise<number | undefined>>();

  constructor(
    private readonly deps: RunPreparationDeps,
    private readonly notify: (notice: Notice) => Promise<void>,
  ) {}

  async prepare(settings: GlassboxSettings): Promise<PreparedRun | undefined> {
    const { key, usable } = await this.deps.apiKeys.keyForRun(settings);
    if (!usable) return undefined;
    let runModel: RunModel;
    try {
      runModel = await modelForRun(settings, key, this.deps.logger);
    } catch (error) {
      void this.notify({
        message: `Glassbox: ${messageOf(error)}`,
        actions: [
          { label: 'Select Provider', command: SELECT_PROVIDER_COMMAND },
          { label: 'Select Model', command: SELECT_MODEL_COMMAND },
        ],
      });
      return undefined;
    }

    const fs = new VscodeWorkspaceFs();
    const restricted = !vscode.workspace.isTrusted;
    const tools = await this.deps.buildTools(fs, settings, restricted);
    const toolsByName = new Map(tools.map((tool) => [tool.name, tool]));
    const approvalSettings = hostApprovalSettings(settings);
    // Restricted Mode runs no risky tool, so it needs no checkpoints.
    const store = restricted ? undefined : this.deps.checkpoints?.();
    const approve = createApprovalDialog({
      checkpoints: store ? { maxFileBytes: store.maxFileBytes } : undefined,
      proposed: this.deps.proposed,
      logger: this.deps.logger,
      existingFileUri: async (path) => ((await fs.exists(path)) ? fs.uriOf(path) : undefined),
      allowancePattern: (request) => {
        const tool = toolsByName.get(request.tool);
        return tool ? allowancePatternFor(tool, request.preview, request.args, approvalSettings) : undefined;
      },
    });
    return {
      parts: {
        model: runModel.model,
        price: runModel.price,
        tools,
        toolSources: this.deps.toolSources?.(restricted) ?? [],
        fs,
        approve,
        recall: this.deps.recall?.(settings),
        checkpoints: store ? storeCheckpointer(store) : undefined,
        instructions: await hostInstructions(settings, restricted, this.deps.logger),
      },
      contextTokens: await this.#contextTokens(runModel, settings),
    };
  }

  /** The window the server reports, when the provider did not already say (VS Code's models do). */
  async #contextTokens(runModel: RunModel, settings: GlassboxSettings): Promise<number> {
    const { model } = runModel;
    if (model instanceof OpenAIModel && runModel.contextWindow === undefined && settings.contextWindowFromServer) {
      const reported = await this.#serverWindow(model, settings);
      if (reported) return reported;
    }
    return runModel.contextWindow ?? settings.contextWindow;
  }

  #serverWindow(model: OpenAIModel, settings: GlassboxSettings): Promise<number | undefined> {
    const key = `${endpointOf(settings)}#${settings.model}`;
    let window = this.#windows.get(key);
    if (!window) {
      window = discoverContextWindow(model, AbortSignal.timeout(4_000)).then((found) => {
        if (found) this.deps.logger.info(`Context window of ${settings.model}: ${found.tokens} tokens (${found.source})`);
        return found?.tokens;
      });
      this.#windows.set(key, window);
    }
    return window;
  }
}
