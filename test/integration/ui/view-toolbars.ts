/**
 * The views' own toolbar buttons, clicked as a person would: New Chat in the Chat view, + in
 * Memory, Add Server in MCP Servers. VS Code once rejected the whole `view/title` menu for one
 * empty entry in the manifest, and these views had no buttons at all while every command still
 * worked from the palette.
 */
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { askInChat, openChat, turn, waitForAnswer } from '../harness/glassbox-ui';
import type { UiScenario } from '../harness/ui-scenario';
import { runCommand, waitForInputBox } from '../harness/workbench';
import { sampleProject } from './fixtures';
import { acceptFactThenPickScope } from './memory-forget';

const FACT = 'Releases are tagged from the main branch only.';

export const viewToolbars: UiScenario = {
  name: 'view-toolbars',
  title: "view toolbars: Chat's New Chat, Memory's + and MCP Servers' Add Server are there and work",
  files: sampleProject,
  turns: [[{ kind: 'text', text: 'The project holds a README and src/math.ts.' }]],
  async run(session) {
    const { page, shots } = session;
    const chat = await openChat(page);
    await askInChat(chat, 'What files are here?');
    await waitForAnswer(chat, 0, /README/);
    await clickToolbarButton(pane(page, /^Chat/), 'New Chat');
    await turn(chat, 0).waitFor({ state: 'detached', timeout: 15_000 });
    await shots.take(page, 'chat-after-new-chat');

    await runCommand(page, 'Glassbox: Show Memory');
    const memory = pane(page, /^Memory/);
    await clickToolbarButton(memory, 'Remember a Fact');
    const factBox = await waitForInputBox(page, 'Remember a Fact');
    await shots.take(page, 'memory-add-input');
    await factBox.fill(FACT);
    await acceptFactThenPickScope(page);
    await memory.locator('.monaco-list-row', { hasText: FACT.slice(0, 40) }).waitFor({ timeout: 15_000 });
    await shots.take(page, 'memory-fact-added');

    await runCommand(page, 'Glassbox: Focus on MCP Servers View');
    await clickToolbarButton(pane(page, /^MCP Servers/), 'Add MCP Server');
    const lineBox = await waitForInputBox(page, 'Add MCP Server (1/2)');
    assert.match((await lineBox.getAttribute('placeholder')) ?? '', /npx -y @modelcontextprotocol\/server-everything/);
    await shots.take(page, 'mcp-add-server-input');
    await page.keyboard.press('Escape');
  },
};

/** A view of the Glassbox sidebar, by its header's name. */
function pane(page: Page, name: RegExp): Locator {
  return page.locator('.pane', { has: page.locator('.pane-header', { hasText: name }) });
}

/**
 * Clicks a button of the view's title bar (its `view/title` menu). The header shows its
 * buttons while hovered or focused, so it is hovered first.
 */
async function clickToolbarButton(view: Locator, label: string): Promise<void> {
  const header = view.locator('.pane-header');
  await header.hover();
  const button = header.locator(`.actions .action-label[aria-label^="${label}"]`);
  await button.waitFor({ state: 'visible', timeout: 15_000 }).catch((error: unknown) => {
    throw new Error(`the "${label}" button is not in the view's toolbar: ${String(error)}`);
  });
  await button.click();
}
