/**
 * Window reload: after a run, the page is reloaded (the extension host restarts); the chat shows
 * the same question and answer again and the trace panel is restored with the run's steps.
 */
import assert from 'node:assert/strict';
import type { UiScenario } from '../harness/ui-scenario';
import { askInChat, openChat, traceFrame, turn, waitForAnswer, waitForTraceRows } from '../harness/glassbox-ui';
import { runCommand, reloadWindow } from '../harness/workbench';
import { sampleProject } from './fixtures';

export const reload: UiScenario = {
  name: 'reload',
  title: 'window reload restores the chat and the trace',
  files: sampleProject,
  turns: [
    [{ kind: 'tool-calls', calls: [{ name: 'read_file', args: { path: 'notes/todo.txt' } }] }],
    [{ kind: 'text', text: 'The note has two lines: first line and second line.' }],
  ],
  async run(session) {
    const { page, shots } = session;
    let chat = await openChat(page);
    await askInChat(chat, 'What is in the todo note?');
    await waitForAnswer(chat, 0, /two lines/);
    await runCommand(page, 'Glassbox: Show Trace');
    let trace = await traceFrame(page);
    await waitForTraceRows(trace, [/Run started/, /read_file/, /Answered/]);
    await shots.take(page, 'before-reload');

    await reloadWindow(page);
    await shots.take(page, 'after-reload');

    trace = await traceFrame(page);
    await waitForTraceRows(trace, [/Run started.*todo note/, /read_file.*notes\/todo\.txt/, /Answered.*two lines/]);
    chat = await openChat(page);
    await waitForAnswer(chat, 0, /two lines/);
    assert.match(await turn(chat, 0).locator('.question-text').innerText(), /What is in the todo note\?/);
    await shots.take(page, 'restored');
  },
};
