/**
 * Command palette → "Glassbox: Ask Agent" → question → the answer appears, and the trace panel
 * shows each step: the run, the model call that asked for read_file, the tool call with its
 * result, the second model call and the answer. The model really received the file's text.
 * The endpoint reports a prompt-cache hit on the second call, and the trace shows it.
 */
import assert from 'node:assert/strict';
import { sampleProject, contentOf } from './fixtures';
import type { UiScenario } from '../harness/ui-scenario';
import { openChat, traceFrame, waitForAnswer, waitForTraceRows } from '../harness/glassbox-ui';
import { runCommand, submitInputBox, waitForInputBox } from '../harness/workbench';

export const paletteAsk: UiScenario = {
  name: 'palette-ask',
  title: 'palette → Ask Agent → answer appears, trace panel shows each step',
  files: sampleProject,
  // What ships is what is tested: the packaged VSIX, installed into code-server.
  installed: true,
  turns: [
    [
      { kind: 'text', text: 'Let me read the README first.' },
      { kind: 'tool-calls', calls: [{ name: 'read_file', args: { path: 'README.md' } }] },
      { kind: 'usage', promptTokens: 1_900, completionTokens: 20, cachedTokens: 0 },
    ],
    [
      { kind: 'text', text: 'This is **a calculator library**; its entry point is `src/math.ts`.' },
      // As OpenAI reports it: the first call's prompt, in 128-token steps, served from cache.
      { kind: 'usage', promptTokens: 2_100, completionTokens: 30, cachedTokens: 1_792 },
    ],
  ],
  async run(session) {
    const { page, shots, model } = session;
    await shots.take(page, 'workbench');
    await runCommand(page, 'Glassbox: Ask Agent');
    const input = await waitForInputBox(page, 'Glassbox: Ask Agent');
    await input.fill('What is this project?');
    await shots.take(page, 'question-typed');
    await submitInputBox(page);

    const chat = await openChat(page);
    await waitForAnswer(chat, 0, /calculator library/);
    await shots.take(page, 'answer-in-chat');

    await runCommand(page, 'Glassbox: Show Trace');
    const trace = await traceFrame(page);
    const rows = await waitForTraceRows(trace, [/Run started.*What is this project/, /Model call 1/, /read_file.*README\.md/, /Model call 2/, /Answered.*calculator library/]);
    await shots.take(page, 'trace-panel');
    assert.ok(rows.length >= 5, rows.join('\n'));
    // Each model call's tokens: the second shows what the endpoint's prompt cache served.
    const callMeta = await trace.locator('.trow.kind-model-call .trow-meta').allInnerTexts();
    assert.equal(callMeta.length, 2, callMeta.join('\n'));
    assert.doesNotMatch(callMeta[0], /cached/);
    assert.match(callMeta[1], /2\.1k in \(1\.8k cached\) · 30 out/);

    const { requests } = await model.requests();
    assert.equal(requests.length, 2, 'two model calls');
    const toolMessage = requests[1].messages.find((message) => message.role === 'tool');
    assert.match(contentOf(toolMessage), /A calculator library/, 'the model was sent the README it asked for');
  },
};
