/**
 * A crash mid-run: the model reads a file, then streams a slow answer; while it streams, the
 * extension host is killed with SIGKILL (no deactivate, no flush). After "Developer: Reload
 * Window" the chat comes back with the question and the finished read_file step; the cut-off
 * run is shown as interrupted (not as working forever) and no answer text it had not sent. A
 * follow-up question in the same chat works, and the model is sent the earlier question.
 */
import assert from 'node:assert/strict';
import type { UiScenario } from '../harness/ui-scenario';
import { extensionHostProcesses, isAlive } from '../harness/extension-host-process';
import { askInChat, CHAT_INPUT, openChat, turn, waitForAnswer } from '../harness/glassbox-ui';
import { reloadWindow, waitForWebviewWith } from '../harness/workbench';
import { contentOf, sampleProject } from './fixtures';

const QUESTION = 'What is in the todo note?';
const FOLLOW_UP = 'Which question did I ask before this one?';
const SLOW_ANSWER =
  'The note has two lines: first line and second line. Both look like placeholders written while the ' +
  'project was being set up, so nothing in them asks for work yet, and the calculator in src/math.ts ' +
  'does not depend on them in any way at all.';

export const killMidRun: UiScenario = {
  name: 'kill-mid-run',
  title: 'killing the extension host mid-answer loses nothing finished; the chat resumes after reload',
  files: sampleProject,
  turns: [
    [{ kind: 'tool-calls', calls: [{ name: 'read_file', args: { path: 'notes/todo.txt' } }] }],
    // ~45 words at 300 ms each: about 13 s of streaming, far longer than the kill takes.
    [{ kind: 'chunk-delay', ms: 300 }, { kind: 'text', text: SLOW_ANSWER }],
    [{ kind: 'text', text: 'You asked what is in the todo note.' }],
  ],
  async run(session) {
    const { page, shots, model, server } = session;
    let chat = await openChat(page);
    await askInChat(chat, QUESTION);
    const first = turn(chat, 0);
    // The tool step has finished and the answer is streaming: a few words are on screen.
    // (The step list is collapsed, so the finished step is looked for in the DOM, not on screen.)
    await first.locator('details.step-item.tool', { hasText: 'read_file' }).locator('.result-line').waitFor({ state: 'attached', timeout: 20_000 });
    await first.locator('.answer', { hasText: 'The note has two lines' }).waitFor({ timeout: 20_000 });
    await first.locator('.turn-footer .status.running').waitFor({ state: 'visible', timeout: 5_000 });
    await shots.take(page, 'streaming');

    const hosts = extensionHostProcesses(server.pid);
    assert.equal(hosts.length, 1, `expected one extension host in the code-server group, found:\n${hosts.map((p) => `${p.pid} ${p.commandLine}`).join('\n')}`);
    const [host] = hosts;
    const streamedBeforeKill = await first.locator('.answer').innerText();
    process.kill(host.pid, 'SIGKILL');
    const killed = Date.now();
    while (isAlive(host.pid)) {
      assert.ok(Date.now() - killed < 5_000, `extension host ${host.pid} still alive 5 s after SIGKILL`);
      await page.waitForTimeout(50);
    }
    session.notes.push(`killed after ${streamedBeforeKill.split(/\s+/).length} streamed words`);
    assert.ok((await model.requests()).requestCount === 2, 'the kill happened during the second model call');
    await page.waitForTimeout(500);
    await shots.take(page, 'killed');

    await reloadWindow(page);
    // The sidebar comes back with the chat view open; waiting for it directly (not through the
    // palette) avoids the palette being closed when the restored webview takes focus.
    chat = await waitForWebviewWith(page, CHAT_INPUT, 30_000);
    const restored = turn(chat, 0);
    await restored.waitFor({ timeout: 30_000 });
    assert.match(await restored.locator('.question-text').innerText(), /What is in the todo note\?/);
    const tool = restored.locator('details.step-item.tool', { hasText: 'read_file' });
    await tool.locator('.result-line').waitFor({ state: 'attached', timeout: 10_000 });
    assert.match((await tool.locator('pre.output').textContent()) ?? '', /1\tfirst line\s+2\tsecond line/, 'the finished read_file step keeps its result');
    // The run died with the host: it must not show as still working, and its answer area says
    // what happened instead of text the model never finished (nor text it never sent).
    await restored.locator('.turn-footer .status.stopped').waitFor({ timeout: 10_000 });
    assert.equal(await restored.locator('.turn-footer .status.running').count(), 0, 'the killed run still shows as running');
    const restoredAnswer = normalize(await restored.locator('.answer').innerText());
    assert.match(restoredAnswer, /^Interrupted: VS Code closed or the extension host stopped/);
    const unsent = normalize(SLOW_ANSWER).slice(normalize(streamedBeforeKill).length + 40);
    assert.ok(unsent.length > 0 && !restoredAnswer.includes(unsent.slice(-30)), 'no answer text the model had not sent before the kill');
    await shots.take(page, 'restored');

    await askInChat(chat, FOLLOW_UP);
    await waitForAnswer(chat, 1, /todo note/);
    const { requests } = await model.requests();
    assert.equal(requests.length, 3, 'one model call for the follow-up');
    const userMessages = requests[2].messages.filter((message) => message.role === 'user').map(contentOf);
    assert.ok(userMessages.some((text) => text.includes(QUESTION)), `the follow-up request lacks the earlier question; user messages: ${JSON.stringify(userMessages)}`);
    assert.ok(userMessages.at(-1)?.includes(FOLLOW_UP), 'the follow-up is the last user message');
    const toolResults = requests[2].messages.filter((message) => message.role === 'tool').map(contentOf);
    assert.ok(toolResults.some((text) => text.includes('second line')), 'the finished read_file result is still in the conversation');
    await shots.take(page, 'follow-up');
  },
};

function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
