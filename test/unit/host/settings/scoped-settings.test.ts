// The scoped settings layer (issue 19) over a stand-in for `inspect()`: for each guarded key,
// a stricter workspace or folder value is used, a looser one is ignored (and named), and the
// person's own (user or remote) value is always honoured.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { GUARDED_KEYS, USER_ONLY_KEYS } from '../../../../src/host/settings/guarded-keys';
import { resolveScopedSettings, type ScopedValues, type WorkspaceScopedValue } from '../../../../src/host/settings/scoped-settings';
import { parseSettings, type GlassboxSettings } from '../../../../src/host/settings/settings-values';
import { workspaceSettingsNotices } from '../../../../src/host/settings/workspace-settings-notice';
import { repoRoot } from '../../../support/paths';

interface Manifest {
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
  contributes: { configuration: { properties: Record<string, { default?: unknown; scope?: string; markdownDescription?: string }> } };
}
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;
const defaults = (key: string) => manifest.contributes.configuration.properties[`glassbox.${key}`]?.default;

type Scope = 'workspace' | 'folder';
const SCOPES: readonly Scope[] = ['workspace', 'folder'];

/** A stand-in for inspect(): the manifest's defaults, the person's values, and one workspace-side value. */
function inspectWith(user: Record<string, unknown>, workspace: Record<string, unknown>, scope: Scope) {
  return (key: string): ScopedValues => {
    const values: WorkspaceScopedValue[] = key in workspace ? [{ scope, where: scope === 'folder' ? 'api' : 'repo', value: workspace[key] }] : [];
    return { defaultValue: defaults(key), userValue: user[key], workspaceValues: values };
  };
}

function resolve(user: Record<string, unknown>, workspace: Record<string, unknown>, scope: Scope) {
  const resolution = resolveScopedSettings(inspectWith(user, workspace, scope));
  const { settings, problems } = parseSettings(resolution.guarded);
  assert.deepEqual(problems, []);
  return { settings, ignored: resolution.ignored, resolution };
}

interface Case {
  readonly key: string;
  /** Read the value runs use. */
  readonly pick: (settings: GlassboxSettings) => unknown;
  /** The person's own value (undefined: the default). */
  readonly user?: unknown;
  readonly tighter: unknown;
  readonly tighterMeans: unknown;
  readonly looser: unknown;
  /** What runs use when the looser value is ignored. */
  readonly personMeans: unknown;
  /** The person's value the looser one is tried against (default: none set, so the default). */
  readonly looserAgainst?: unknown;
}

const CASES: readonly Case[] = [
  { key: 'autoApprove.write', pick: (s) => s.autoApprove.write, user: true, tighter: false, tighterMeans: false, looser: true, personMeans: false },
  { key: 'autoApprove.execute', pick: (s) => s.autoApprove.execute, user: true, tighter: false, tighterMeans: false, looser: true, personMeans: false },
  { key: 'autoApprove.network', pick: (s) => s.autoApprove.network, user: true, tighter: false, tighterMeans: false, looser: true, personMeans: false },
  // Its default is on: the person turned it off, and a workspace may not turn it back on.
  { key: 'autoApprove.remember', pick: (s) => s.autoApprove.remember, user: true, tighter: false, tighterMeans: false, looser: true, personMeans: false, looserAgainst: false },
  { key: 'taintApproval', pick: (s) => s.taintApproval, user: false, tighter: true, tighterMeans: true, looser: false, personMeans: true },
  { key: 'maxCostUsd', pick: (s) => s.maxCostUsd, user: 2, tighter: 0.1, tighterMeans: 0.1, looser: 0, personMeans: 0.5 },
  { key: 'maxSteps', pick: (s) => s.maxSteps, user: 40, tighter: 5, tighterMeans: 5, looser: 500, personMeans: 25 },
  { key: 'runTimeoutMinutes', pick: (s) => s.runTimeoutMs, user: 30, tighter: 2, tighterMeans: 120_000, looser: 1440, personMeans: 15 * 60_000 },
  { key: 'toolTimeoutSeconds', pick: (s) => s.toolTimeoutMs, user: 60, tighter: 5, tighterMeans: 5_000, looser: 3600, personMeans: 30_000 },
  { key: 'protectedPaths', pick: (s) => s.protectedPaths, user: ['infra/**'], tighter: ['db/**'], tighterMeans: ['infra/**', 'db/**'], looser: [], personMeans: [] },
  { key: 'sensitivePaths', pick: (s) => s.sensitivePaths, user: ['keys/**'], tighter: ['secrets/**'], tighterMeans: ['keys/**', 'secrets/**'], looser: [], personMeans: [] },
  // A repository cannot allow commands for the person; it may deny more.
  { key: 'commands.allow', pick: (s) => s.commands.allow, user: ['git status'], tighter: undefined, tighterMeans: undefined, looser: ['rm', '/.*/'], personMeans: [] },
  { key: 'commands.deny', pick: (s) => s.commands.deny, user: ['rm'], tighter: ['git push'], tighterMeans: ['rm', 'git push'], looser: [], personMeans: [] },
  { key: 'webTools', pick: (s) => s.webTools, user: true, tighter: undefined, tighterMeans: undefined, looser: true, personMeans: false },
  { key: 'webAllowHosts', pick: (s) => s.webAllowHosts, user: ['localhost'], tighter: undefined, tighterMeans: undefined, looser: ['169.254.169.254'], personMeans: [] },
  { key: 'webSearchEndpoint', pick: (s) => s.webSearchEndpoint, user: 'https://search.example/search', tighter: undefined, tighterMeans: undefined, looser: 'https://collector.example/search', personMeans: undefined },
  { key: 'memory.embeddingsBaseUrl', pick: (s) => s.memory.embeddingsBaseUrl, user: 'http://127.0.0.1:11434/v1', tighter: undefined, tighterMeans: undefined, looser: 'https://collector.example/v1', personMeans: undefined },
  { key: 'discoveryPorts', pick: (s) => s.discoveryPorts, user: [11434], tighter: undefined, tighterMeans: undefined, looser: [22, 5432], personMeans: [11434, 1234, 8080, 8000] },
  // Read from outside the workspace and sent to the model: a repository cannot point it at a key file.
  { key: 'instructions.userFile', pick: (s) => s.instructions.userFile, user: '/home/me/AGENTS.md', tighter: undefined, tighterMeans: undefined, looser: '/home/me/.ssh/id_rsa', personMeans: undefined },
];

test('every guarded key is tested here, and the table of cases covers each rule', () => {
  const tested = new Set([...CASES.map((c) => c.key), 'mcp.servers', 'provider', 'baseUrl', 'azure.endpoint', 'azure.deployment', 'azure.apiVersion']);
  assert.deepEqual(Object.keys(GUARDED_KEYS).filter((key) => !tested.has(key)), []);
});

for (const scope of SCOPES) {
  for (const c of CASES) {
    if (c.tighter !== undefined) {
      test(`${scope}: a stricter glassbox.${c.key} (${JSON.stringify(c.tighter)}) is used`, () => {
        const { settings, ignored } = resolve({ [c.key]: c.user }, { [c.key]: c.tighter }, scope);
        assert.deepEqual(c.pick(settings), c.tighterMeans);
        assert.deepEqual(ignored, []);
      });
    }
    test(`${scope}: a looser glassbox.${c.key} (${JSON.stringify(c.looser)}) is ignored and named`, () => {
      const { settings, ignored } = resolve(c.looserAgainst === undefined ? {} : { [c.key]: c.looserAgainst }, { [c.key]: c.looser }, scope);
      assert.deepEqual(c.pick(settings), c.personMeans, "the person's value stands");
      const named = ignored.filter((value) => value.setting === `glassbox.${c.key}`);
      // An empty list adds nothing and removes nothing: there is nothing to name.
      if (Array.isArray(c.looser) && c.looser.length === 0) assert.deepEqual(named, []);
      else assert.equal(named.length, 1, `glassbox.${c.key} is named: ${JSON.stringify(ignored)}`);
      if (named[0]) assert.equal(named[0].scope, scope);
    });
    test(`${scope}: the person's own glassbox.${c.key} (${JSON.stringify(c.user)}) stands against a looser workspace`, () => {
      const alone = resolve({ [c.key]: c.user }, {}, scope).settings;
      const { settings } = resolve({ [c.key]: c.user }, { [c.key]: c.looser }, scope);
      assert.deepEqual(c.pick(settings), c.pick(alone));
    });
  }
}

test("a workspace's list never removes the person's entries (only adds)", () => {
  const { settings } = resolve({ sensitivePaths: ['keys/**'], protectedPaths: ['infra/**'] }, { sensitivePaths: [], protectedPaths: [] }, 'workspace');
  assert.deepEqual(settings.sensitivePaths, ['keys/**']);
  assert.deepEqual(settings.protectedPaths, ['infra/**']);
});

test('a workspace value that is no valid value is ignored, not turned into a looser default', () => {
  const { settings, ignored } = resolve({ maxSteps: 10, 'autoApprove.write': false }, { maxSteps: 'many', 'autoApprove.write': 'yes', maxCostUsd: -1 }, 'workspace');
  assert.equal(settings.maxSteps, 10);
  assert.equal(settings.autoApprove.write, false);
  assert.equal(settings.maxCostUsd, 0.5);
  assert.deepEqual(ignored.map((value) => value.setting).sort(), ['glassbox.autoApprove.write', 'glassbox.maxCostUsd', 'glassbox.maxSteps']);
});

test('workspace and folder together: the strictest wins, each looser one is named', () => {
  const inspect = (key: string): ScopedValues => {
    const table: Record<string, [unknown, unknown]> = { maxSteps: [10, 50], 'autoApprove.execute': [true, false] };
    const pair = table[key];
    return {
      defaultValue: defaults(key),
      userValue: undefined,
      workspaceValues: pair ? [{ scope: 'workspace', where: 'repo', value: pair[0] }, { scope: 'folder', where: 'api', value: pair[1] }] : [],
    };
  };
  const resolution = resolveScopedSettings(inspect);
  const { settings } = parseSettings(resolution.guarded);
  assert.equal(settings.maxSteps, 10);
  assert.equal(settings.autoApprove.execute, false);
  assert.deepEqual(
    resolution.ignored.map((v) => `${v.setting} ${v.scope}`),
    ['glassbox.autoApprove.execute workspace', 'glassbox.maxSteps folder'],
  );
});

for (const scope of SCOPES) {
  test(`${scope}: endpoint keys stay the person's own; the workspace's are offered apart, for consent`, () => {
    const { settings, resolution } = resolve({ baseUrl: 'http://127.0.0.1:11434/v1' }, { baseUrl: 'https://collector.example/v1', provider: 'custom', model: 'big' }, scope);
    assert.equal(settings.baseUrl, 'http://127.0.0.1:11434/v1');
    assert.equal(settings.provider, undefined);
    assert.equal(settings.model, 'big', 'the model name is no guardrail: it goes to the person’s endpoint');
    const theirs = parseSettings(resolution.withWorkspaceEndpoint).settings;
    assert.equal(theirs.baseUrl, 'https://collector.example/v1');
    assert.equal(theirs.provider, 'custom');
    assert.equal(theirs.autoApprove.write, false, 'the other keys are guarded the same');
  });
}

test('the manifest marks user-only keys "application" (the Settings editor says so) and says what a workspace may do', () => {
  const properties = manifest.contributes.configuration.properties;
  for (const key of USER_ONLY_KEYS) {
    // Not "machine": a remote window (code-server too) would then drop the person's user value.
    assert.equal(properties[`glassbox.${key}`]?.scope, 'application', `glassbox.${key}`);
  }
  const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
  for (const [key, rule] of Object.entries(GUARDED_KEYS)) {
    // Adding paths only tightens: Restricted Mode dropping a workspace's additions would loosen.
    if (rule.kind === 'only-add') assert.ok(!restricted.includes(`glassbox.${key}`), `glassbox.${key}`);
    else assert.ok(restricted.includes(`glassbox.${key}`), `glassbox.${key} is not in restrictedConfigurations`);
    if (rule.kind !== 'user-only' && rule.kind !== 'endpoint' && key !== 'mcp.servers') {
      assert.match(properties[`glassbox.${key}`]?.markdownDescription ?? '', /workspace's own settings may only|add to yours/, `glassbox.${key}`);
    }
  }
});

test('the chat names each ignored value with its reason, and the workspace endpoint waiting for a yes', () => {
  const { ignored } = resolve({}, { 'autoApprove.write': true, taintApproval: false, maxCostUsd: 0 }, 'workspace');
  const endpoint = { id: 'custom http://127.0.0.1:9/v1', url: 'http://127.0.0.1:9/v1', ownUrl: 'https://api.openai.com/v1', workspace: 'repo', consented: false };
  const notices = workspaceSettingsNotices(ignored, endpoint);
  assert.equal(notices.length, 2);
  assert.match(notices[0].text, /send Glassbox's requests to http:\/\/127\.0\.0\.1:9\/v1.*your own endpoint \(https:\/\/api\.openai\.com\/v1\)/);
  assert.equal(notices[0].button?.action, 'allowWorkspaceEndpoint');
  assert.match(notices[1].text, /ignored workspace settings .*: glassbox\.autoApprove\.write, glassbox\.taintApproval, glassbox\.maxCostUsd\./);
  assert.deepEqual(notices[1].details, [
    'glassbox.autoApprove.write = true (workspace "repo": a workspace may only turn this off)',
    'glassbox.taintApproval = false (workspace "repo": a workspace may only turn this on)',
    'glassbox.maxCostUsd = 0 (workspace "repo": a workspace may only lower it (yours: 0.5))',
  ]);
  assert.equal(notices[1].button?.action, 'openUserSettings');
  assert.deepEqual(workspaceSettingsNotices([], { ...endpoint, consented: true }), [], 'nothing to say once agreed and nothing ignored');
});
