/**
 * Custom agents and prompt files in the chat: the header's agent picker lists Glassbox, Plan
 * first and the repository's `reviewer` agent; typing `/ex` offers `/explain` with its
 * description, Tab completes it; the question runs as the reviewer (only read_file offered, its
 * call to write_file refused as an unknown tool, nothing written) with the prompt expanded.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { UiScenario } from '../harness/ui-scenario';
import { CHAT_INPUT, openChat, turn, waitForAnswer } from '../harness/glassbox-ui';
import type { RecordedRequest } from '../harness/scripted-model';
import { contentOf, sampleProject } from './fixtures';

export const customAgents: UiScenario = {
  name: 'custom-agents',
  title: 'agent picker and /prompt completion: the reviewer agent is offered only read_file, its write_file is refused; /explain expands',
  files: {
    ...sampleProject,
    '.github/agents/reviewer.agent.md': '---\nname: reviewer\ndescription: Reads and reports, never writes\ntools: [read_file]\n---\nREVIEWER: report findings, change nothing.\n',
    '.github/prompts/explain.prompt.md': '---\ndescription: Explain a file to a newcomer\n---\nExplain ${input:file} to a newcomer.\n',
  },
  turns: [
    [{ kind: 'tool-calls', calls: [{ name: 'write_file', args: { path: 'notes/new.txt', content: 'written anyway\n' } }] }],
    [{ kind: 'text', text: 'math.ts adds two numbers; I could not write.' }],
  ],
  async run(session) {
    const { page, shots, model, dirs } = session;
    const chat = await openChat(page);
    const picker = chat.locator('select.agent-picker');
    await picker.locator('option[value="reviewer"]').waitFor({ state: 'attached', timeout: 15_000 });
    assert.deepEqual(await picker.locator('option').allInnerTexts(), ['Glassbox', 'Plan first', 'reviewer']);
    await picker.selectOption('reviewer');

    const input = chat.locator(CHAT_INPUT);
    await input.click();
    await input.pressSequentially('/ex');
    const offered = chat.locator('.prompt-completions li');
    await offered.first().waitFor({ timeout: 10_000 });
    assert.equal((await offered.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim()).join('|'), '/explain Explain a file to a newcomer');
    await shots.take(page, 'completion');
    await input.press('Tab');
    assert.equal(await input.inputValue(), '/explain ');
    await input.pressSequentially('src/math.ts');
    await input.press('Enter');
    await waitForAnswer(chat, 0, /could not write/);
    assert.equal(await picker.inputValue(), 'reviewer');

    const { requests } = await model.requests();
    assert.deepEqual(toolNames(requests[0]), ['read_file']);
    const messages = requests[0].messages;
    assert.equal(contentOf(messages.at(-1)), 'Explain src/math.ts to a newcomer.');
    assert.match(contentOf(messages[0]), /why="agent reviewer">\nREVIEWER: report findings/);
    assert.ok(!existsSync(join(dirs.workspace, 'notes/new.txt')), 'the reviewer wrote a file');
    await turn(chat, 0).locator('.steps > summary').click();
    await turn(chat, 0).locator('.step-item.tool', { hasText: 'write_file' }).waitFor({ timeout: 10_000 });
    await shots.take(page, 'answered-as-reviewer');
  },
};

/** The tools a recorded request offered (the recorder keeps the whole body). */
function toolNames(request: RecordedRequest | undefined): string[] {
  const tools = (request as { tools?: { function: { name: string } }[] } | undefined)?.tools ?? [];
  return tools.map((tool) => tool.function.name);
}
