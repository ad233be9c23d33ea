import * as vscode from 'vscode';
import { endpointProblemOf, readableEndpointMessage, type EndpointProblem, type FailedRequest } from '../../agent/model/endpoint-problem';
import { describeLocalServer, type LocalServer } from '../../agent/model/local-discovery';
import { SET_API_KEY_COMMAND } from './api-key';
import { providerLabel } from './provider-connection';
import { effectiveProvider, endpointLabel } from '../settings/settings-endpoint';
import type { GlassboxSettings } from '../settings/settings-values';

export const SELECT_PROVIDER_COMMAND = 'glassbox.selectProvider';
export const SELECT_MODEL_COMMAND = 'glassbox.selectModel';

/** A button on a notice and what it runs. */
export interface NoticeAction {
  readonly label: string;
  readonly command: string;
  readonly args?: readonly unknown[];
}

export interface Notice {
  readonly message: string;
  readonly actions: readonly NoticeAction[];
}

type NoticeSettings = Pick<GlassboxSettings, 'provider' | 'baseUrl' | 'azure' | 'model' | 'contextWindow' | 'maxCostUsd' | 'discoveryPorts'>;

const openSetting = (label: string, setting: string): NoticeAction => ({ label, command: 'workbench.action.openSettings', args: [setting] });

/**
 * The notice for a failed run: the endpoint's own words plus what to do, with the button that
 * does it. `localServers` is asked for only when nothing answered (it probes loopback ports).
 */
export async function noticeForFailure(
  failure: FailedRequest,
  settings: NoticeSettings,
  localServers: () => Promise<readonly LocalServer[]>,
): Promise<Notice | undefined> {
  const problem = endpointProblemOf(failure);
  if (!problem) return undefined;
  return noticeFor(problem, readableEndpointMessage(failure.message), settings, problem === 'unreachable' ? await localServers() : []);
}

export function noticeFor(problem: EndpointProblem, said: string, settings: NoticeSettings, found: readonly LocalServer[]): Notice {
  const provider = providerLabel(effectiveProvider(settings));
  const endpoint = endpointLabel(settings);
  switch (problem) {
    case 'key-rejected':
      if (effectiveProvider(settings) === 'vscode-lm') {
        return { message: `Glassbox: VS Code did not allow the use of its language model. ${said}`, actions: [{ label: 'Select Model', command: SELECT_MODEL_COMMAND }] };
      }
      return { message: `Glassbox: ${provider} rejected the API key. ${said}`, actions: [{ label: 'Set API Key', command: SET_API_KEY_COMMAND }] };
    case 'unknown-model':
      return {
        message: `Glassbox: ${provider} does not know the model "${settings.model}" (or the URL ${endpoint} is wrong). ${said}`,
        actions: [
          { label: 'Select Model', command: SELECT_MODEL_COMMAND },
          { label: 'Select Provider', command: SELECT_PROVIDER_COMMAND },
        ],
      };
    case 'unreachable': {
      const running =
        found.length > 0
          ? `Model servers running here: ${found.map((server) => `${describeLocalServer(server)} at ${server.baseURL}`).join('; ')}.`
          : `No model server answered on 127.0.0.1 (ports ${settings.discoveryPorts.join(', ')}).`;
      return {
        message: `Glassbox: could not reach ${endpoint}. Is the server running? ${running} ${said}`,
        actions: [{ label: 'Select Provider', command: SELECT_PROVIDER_COMMAND }],
      };
    }
    case 'context-exceeded':
      return {
        message:
          `Glassbox: the conversation no longer fits the model's context window (glassbox.contextWindow is ${settings.contextWindow.toLocaleString('en-US')} tokens). ` +
          `Set it to the model's real window, or start a New Chat. ${said}`,
        actions: [openSetting('Open Context Window Setting', 'glassbox.contextWindow'), { label: 'New Chat', command: 'glassbox.newChat' }],
      };
    case 'quota':
      return {
        message: `Glassbox: ${provider} says the account's quota or credit is used up. Check its billing, or switch provider. ${said}`,
        actions: [{ label: 'Select Provider', command: SELECT_PROVIDER_COMMAND }, openSetting('Open Budget Setting', 'glassbox.maxCostUsd')],
      };
  }
}

/** A run stopped at its own cost cap: say so with the setting that raises it. */
export function budgetNotice(answer: string, settings: Pick<GlassboxSettings, 'maxCostUsd'>): Notice {
  const cap = Number.isFinite(settings.maxCostUsd) ? `$${settings.maxCostUsd}` : 'none';
  return {
    message: `Glassbox: the run stopped at its cost cap (glassbox.maxCostUsd: ${cap}). ${answer}`,
    actions: [openSetting('Open Budget Setting', 'glassbox.maxCostUsd')],
  };
}

/** Shows the notice as an error message; the chosen button runs its command. */
export async function showNotice(notice: Notice): Promise<void> {
  const choice = await vscode.window.showErrorMessage(notice.message, ...notice.actions.map((action) => action.label));
  const action = notice.actions.find((candidate) => candidate.label === choice);
  if (action) await vscode.commands.executeCommand(action.command, ...(action.args ?? []));
}
