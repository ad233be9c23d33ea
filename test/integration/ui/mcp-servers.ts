/**
 * MCP in the real workbench: server-everything (the real npm package, started by path) is set
 * in the user's `glassbox.mcp.servers`; the "MCP Servers" view lists it running with its tools,
 * their risk and token cost; a chat question makes the model call everything__echo, the step
 * shows in the chat and in the trace with the server's name, and the model was sent its result;
 * a risky MCP tool then raises the approval modal naming the server and the taint from the echo.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { UiScenario } from '../harness/ui-scenario';
import { askInChat, openChat, traceFrame, waitForAnswer, waitForTraceRows } from '../harness/glassbox-ui';
import { clickModalButton, runCommand, waitForModal } from '../harness/workbench';
import { contentOf, sampleProject } from './fixtures';

// dist-test/test/integration/ui → the worktree's node_modules.
const EVERYTHING = join(__dirname, '..', '..', '..', '..', 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');

export const mcpServers: UiScenario = {
  name: 'mcp-servers',
  title: 'MCP Servers view lists server-everything and its tools; a chat question calls everything__echo, visible in the chat and the trace',
  files: sampleProject,
  settings: { 'glassbox.mcp.servers': { everything: { type: 'stdio', command: process.execPath, args: [EVERYTHING] } } },
  turns: [
    [{ kind: 'tool-calls', calls: [{ name: 'everything__echo', args: { message: 'hello through MCP' } }] }],
    [{ kind: 'text', text: 'The everything server answered: Echo: hello through MCP' }],
    // A tool without readOnlyHint is risky: it waits for the person, who is told the server.
    [{ kind: 'tool-calls', calls: [{ name: 'everything__toggle-simulated-logging', args: {} }] }],
    [{ kind: 'text', text: 'You declined, so logging stays off.' }],
  ],
  async run(session) {
    const { page, shots, model } = session;
    await runCommand(page, 'Glassbox: Start MCP Servers');
    const pane = mcpPane(page);
    await pane.waitFor({ timeout: 15_000 });
    const server = pane.locator('.monaco-list-row', { hasText: 'everything' }).first();
    await server.locator('text=/running · 14 tools · ~\\d+ tokens/').waitFor({ timeout: 30_000 });
    await server.click();
    const echo = pane.locator('.monaco-list-row', { hasText: 'everything__echo' });
    await echo.waitFor({ timeout: 10_000 });
    assert.match((await echo.innerText()).replace(/\s+/g, ' '), /everything__echo\s*read · ~\d+ tokens/);
    await shots.take(page, 'mcp-view');

    const chat = await openChat(page);
    await askInChat(chat, 'Echo hello through the everything server');
    await waitForAnswer(chat, 0, /Echo: hello through MCP/);
    await shots.take(page, 'answer-in-chat');

    await runCommand(page, 'Glassbox: Show Trace');
    const trace = await traceFrame(page);
    await waitForTraceRows(trace, [/Run started/, /Model call 1/, /everything__echo.*MCP everything/, /Answered.*Echo: hello through MCP/]);
    await shots.take(page, 'trace-panel');

    // A risky MCP tool raises the modal naming the server; after the echo result it is taint-flagged too.
    const chatAgain = await openChat(page);
    await askInChat(chatAgain, 'Turn on simulated logging');
    const dialog = await waitForModal(page);
    const text = await dialog.innerText();
    assert.match(text, /MCP server "everything"/, text);
    assert.match(text, /toggle-simulated-logging/, text);
    assert.match(text, /follows content read from MCP server "everything" \(echo\)/, text);
    await shots.take(page, 'mcp-approval-modal');
    await clickModalButton(dialog, 'Deny');
    await waitForAnswer(chatAgain, 1, /You declined/);

    const { requests } = await model.requests();
    assert.equal(requests.length, 4);
    assert.match(contentOf(requests[3].messages.filter((m) => m.role === 'tool').at(-1)), /declined this everything__toggle-simulated-logging call/);
    const offered = (requests[0] as { tools?: { function: { name: string } }[] }).tools?.map((t) => t.function.name) ?? [];
    assert.ok(offered.includes('everything__echo'), offered.join(', '));
    assert.equal(contentOf(requests[1].messages.find((m) => m.role === 'tool')), 'Echo: hello through MCP');
  },
};

function mcpPane(page: Page) {
  return page.locator('.pane', { has: page.locator('.pane-header', { hasText: /MCP Servers/ }) });
}
