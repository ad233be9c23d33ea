import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLocalEndpoint, parseSettings } from '../../../../src/host/settings/settings-values';

const reader = (values: Record<string, unknown>) => (key: string) => values[key];

test('with nothing set, every setting has its documented default', () => {
  const { settings, problems } = parseSettings(reader({}));
  assert.deepEqual(problems, []);
  assert.equal(settings.baseUrl, undefined);
  assert.equal(settings.model, 'gpt-4o-mini');
  assert.equal(settings.maxSteps, 25);
  assert.equal(settings.maxCostUsd, 0.5);
  assert.equal(settings.toolTimeoutMs, 30_000);
  assert.equal(settings.runTimeoutMs, 15 * 60_000);
  assert.deepEqual(settings.autoApprove, { write: false, execute: false, network: false, remember: true });
  assert.equal(settings.taintApproval, true);
  assert.equal(settings.logLevel, 'info');
  assert.equal(settings.history.maxChatBytes, 20 * 1024 * 1024);
  assert.equal(settings.history.maxTotalBytes, 500 * 1024 * 1024);
  assert.equal(settings.memory.recallCount, 3);
});

test('values as VS Code hands them over are converted to the units runs use', () => {
  const { settings, problems } = parseSettings(
    reader({
      baseUrl: ' http://127.0.0.1:11434/v1/ ',
      model: 'qwen2.5-coder:7b',
      maxCostUsd: 0,
      toolTimeoutSeconds: 5,
      runTimeoutMinutes: 2,
      'autoApprove.execute': true,
      protectedPaths: ['infra/**', '  '],
      'history.maxChatMB': 1.5,
      'memory.embeddingsModel': 'nomic-embed-text',
    }),
  );
  assert.equal(settings.baseUrl, 'http://127.0.0.1:11434/v1', 'trimmed, trailing slash dropped');
  assert.equal(settings.model, 'qwen2.5-coder:7b');
  assert.equal(settings.maxCostUsd, Infinity, '0 means no cap');
  assert.equal(settings.toolTimeoutMs, 5000);
  assert.equal(settings.runTimeoutMs, 120_000);
  assert.equal(settings.autoApprove.execute, true);
  assert.deepEqual(settings.protectedPaths, ['infra/**']);
  assert.equal(settings.history.maxChatBytes, Math.round(1.5 * 1024 * 1024));
  assert.equal(settings.memory.embeddingsBaseUrl, 'http://127.0.0.1:11434/v1', 'embeddings fall back to the chat endpoint');
  assert.equal(problems.length, 1, 'the blank glob is reported');
  assert.match(problems[0].message, /glassbox\.protectedPaths/);
});

test('bad values fall back to defaults and are reported naming the setting', () => {
  const { settings, problems } = parseSettings(
    reader({
      baseUrl: 'ftp://example.com',
      webSearchEndpoint: 'not a url',
      maxSteps: 0,
      contextWindow: 'big',
      'autoApprove.write': 'yes',
      logLevel: 'verbose',
      model: '   ',
      sensitivePaths: 'secrets/**',
    }),
  );
  assert.equal(settings.baseUrl, undefined);
  assert.equal(settings.webSearchEndpoint, undefined);
  assert.equal(settings.maxSteps, 25);
  assert.equal(settings.contextWindow, 128_000);
  assert.equal(settings.autoApprove.write, false, 'a non-boolean never turns auto-approval on');
  assert.equal(settings.logLevel, 'info');
  assert.equal(settings.model, 'gpt-4o-mini');
  assert.deepEqual(settings.sensitivePaths, []);
  const named = problems.map((problem) => problem.setting).sort();
  assert.deepEqual(named, [
    'glassbox.autoApprove.write',
    'glassbox.baseUrl',
    'glassbox.contextWindow',
    'glassbox.logLevel',
    'glassbox.maxSteps',
    'glassbox.model',
    'glassbox.sensitivePaths',
    'glassbox.webSearchEndpoint',
  ]);
  const maxSteps = problems.find((problem) => problem.setting === 'glassbox.maxSteps');
  assert.match(maxSteps?.message ?? '', /out of range.*at least 1.*using 25/);
});

test('fractional step counts are rounded and reported', () => {
  const { settings, problems } = parseSettings(reader({ maxSteps: 7.6 }));
  assert.equal(settings.maxSteps, 8);
  assert.match(problems[0].message, /not a whole number/);
});

test('only loopback endpoints count as local (no API key needed)', () => {
  for (const url of ['http://127.0.0.1:11434/v1', 'http://localhost:1234/v1', 'http://127.3.2.1/v1', 'http://[::1]:8080/v1', 'http://api.localhost/v1']) {
    assert.equal(isLocalEndpoint(url), true, url);
  }
  for (const url of [undefined, 'https://api.openai.com/v1', 'http://127.0.0.1.evil.com/v1', 'http://localhost.evil.com/v1', 'http://10.0.0.2/v1', 'nonsense']) {
    assert.equal(isLocalEndpoint(url), false, String(url));
  }
});

test('the editor settings: problems after edits on within 2 s, navigation tools off for small models, commands as processes', () => {
  const defaults = parseSettings(reader({})).settings;
  assert.deepEqual(defaults.editor, { problemsAfterEdits: true, problemsWaitMs: 2_000, toolsForSmallModels: false });
  assert.equal(defaults.commands.runIn, 'process');
  const { settings, problems } = parseSettings(
    reader({ 'editor.problemsAfterEdits': false, 'editor.problemsWaitSeconds': 0.5, 'editor.toolsForSmallModels': true, 'commands.runIn': 'terminal' }),
  );
  assert.deepEqual(problems, []);
  assert.deepEqual(settings.editor, { problemsAfterEdits: false, problemsWaitMs: 500, toolsForSmallModels: true });
  assert.equal(settings.commands.runIn, 'terminal');
  const bad = parseSettings(reader({ 'commands.runIn': 'tmux', 'editor.problemsWaitSeconds': 600 }));
  assert.equal(bad.settings.commands.runIn, 'process');
  assert.deepEqual(bad.problems.map((p) => p.setting).sort(), ['glassbox.commands.runIn', 'glassbox.editor.problemsWaitSeconds']);
});
