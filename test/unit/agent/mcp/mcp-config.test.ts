/** mcp.json parsing, variables and envFile, tool naming and result text: the pure parts of MCP. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { definitionFromLine, splitCommandLine, suggestServerName } from '../../../../src/agent/mcp/command-line';
import { riskOf } from '../../../../src/agent/mcp/mcp-tool';
import { resolveVariables } from '../../../../src/agent/mcp/resolve-variables';
import { resultText } from '../../../../src/agent/mcp/result-text';
import { definitionHash, describeDefinition, parseMcpConfig } from '../../../../src/agent/mcp/server-config';
import { assignToolNames, mcpToolName } from '../../../../src/agent/mcp/tool-names';
import { restartDelayMs } from '../../../../src/agent/mcp/server-connection';

test('VS Code mcp.json: comments, trailing commas, stdio and http servers, inputs', () => {
  const config = parseMcpConfig(
    `{
      // a comment with "quotes", and a URL-looking // inside
      "inputs": [{ "type": "promptString", "id": "token", "description": "API token", "password": true }],
      "servers": {
        "local": { "type": "stdio", "command": "node", "args": ["server.js", "a, }"], "env": { "N": 1 } },
        "remote": { "type": "http", "url": "http://127.0.0.1:3001/mcp", "headers": { "Authorization": "Bearer \${input:token}" } },
        "implicit": { "url": "http://127.0.0.1:3002/sse" },
      },
    }`,
    'workspace',
  );
  assert.deepEqual(config.servers.map((s) => [s.name, s.transport]), [['local', 'stdio'], ['remote', 'http'], ['implicit', 'http']]);
  const local = config.servers[0];
  assert.ok(local.transport === 'stdio');
  assert.deepEqual(local.args, ['server.js', 'a, }'], 'a string that looks like a trailing comma is kept');
  assert.deepEqual(local.env, { N: '1' });
  assert.equal(config.inputs[0].password, true);
  assert.equal(describeDefinition(local), "node server.js 'a, }'");
});

test('bad definitions are refused with the server and field named', () => {
  assert.throws(() => parseMcpConfig('{"servers": {"x": {"type": "stdio"}}}', 'user'), /server "x": command/);
  assert.throws(() => parseMcpConfig('{"servers": {"bad name!": {"command": "a"}}}', 'user'), /server name "bad name!"/);
  assert.throws(() => parseMcpConfig('{"servers": ', 'user', 'mcp.json'), /mcp\.json is not valid JSON/);
});

test('the definition hash changes with anything that would run differently, not with where it came from', () => {
  const a = parseMcpConfig('{"servers": {"s": {"command": "node", "args": ["a.js"]}}}', 'workspace').servers[0];
  const same = parseMcpConfig('{"servers": {"s": {"args": ["a.js"], "command": "node"}}}', 'user').servers[0];
  const otherArgs = parseMcpConfig('{"servers": {"s": {"command": "node", "args": ["b.js"]}}}', 'workspace').servers[0];
  const otherEnv = parseMcpConfig('{"servers": {"s": {"command": "node", "args": ["a.js"], "env": {"X": "1"}}}}', 'workspace').servers[0];
  assert.equal(definitionHash(a), definitionHash(same));
  assert.notEqual(definitionHash(a), definitionHash(otherArgs));
  assert.notEqual(definitionHash(a), definitionHash(otherEnv));
});

test('${input:ID}, ${env:NAME}, ${workspaceFolder} and envFile are resolved; the definition env wins over the file', async (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'glassbox-mcp-vars-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  writeFileSync(join(folder, '.env'), '# comment\nexport A=from-file\nB="quoted # not a comment"\nC=plain # comment\nD=x\n');
  const config = parseMcpConfig(
    `{"inputs": [{"id": "key"}], "servers": {"s": {"command": "\${workspaceFolder}/bin", "args": ["--key=\${input:key}", "\${env:HOME_X}"], "envFile": ".env", "env": {"D": "from-definition"}}}}`,
    'user',
  );
  const asked: string[] = [];
  const resolved = await resolveVariables(config.servers[0], {
    workspaceFolder: folder,
    env: { HOME_X: '/home/x' },
    inputs: config.inputs,
    resolveInput: async (input) => (asked.push(input.id), 'secret-1'),
  });
  assert.ok(resolved.transport === 'stdio');
  assert.equal(resolved.command, `${folder}/bin`);
  assert.deepEqual(resolved.args, ['--key=secret-1', '/home/x']);
  assert.deepEqual(resolved.env, { A: 'from-file', B: 'quoted # not a comment', C: 'plain', D: 'from-definition' });
  assert.deepEqual(asked, ['key']);
  await assert.rejects(
    resolveVariables(config.servers[0], { workspaceFolder: folder, env: {}, inputs: config.inputs, resolveInput: async () => undefined }),
    /needs a value for \$\{input:key\}/,
  );
});

test('tool names: <server>__<tool>, odd characters replaced, at most 64, collisions and built-ins avoided', () => {
  assert.equal(mcpToolName('every thing', 'get.sum'), 'every_thing__get_sum');
  const long = mcpToolName('s'.repeat(40), 't'.repeat(40));
  assert.equal(long.length, 64);
  assert.match(long, /_[0-9a-f]{6}$/);
  assert.notEqual(mcpToolName('s'.repeat(40), 't'.repeat(40)), mcpToolName('s'.repeat(40), `${'t'.repeat(39)}u`));
  const names = assignToolNames([{ server: 'a.b', tool: 'x' }, { server: 'a_b', tool: 'x' }, { server: 'c', tool: 'y' }], ['c__y']);
  assert.equal(names[0], 'a_b__x');
  assert.notEqual(names[1], 'a_b__x');
  assert.notEqual(names[2], 'c__y');
  assert.equal(new Set(names).size, 3);
  assert.ok(names.every((n) => /^[A-Za-z0-9_-]{1,64}$/.test(n)));
});

test('risk comes from annotations: read-only → read, open world → network, anything else → execute', () => {
  assert.equal(riskOf({ readOnlyHint: true, openWorldHint: false }), 'read');
  assert.equal(riskOf({ readOnlyHint: true }), 'read');
  assert.equal(riskOf({ readOnlyHint: true, openWorldHint: true }), 'network');
  assert.equal(riskOf({ openWorldHint: true }), 'network');
  assert.equal(riskOf({ destructiveHint: false }), 'execute');
  assert.equal(riskOf(undefined), 'execute');
});

test('results: text kept, images and binary described not dropped, structured content given once', () => {
  assert.equal(resultText({ content: [{ type: 'text', text: 'hi' }] }), 'hi');
  assert.match(resultText({ content: [{ type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' }] }), /\[image: image\/png, 8 B; not shown/);
  assert.match(resultText({ content: [{ type: 'resource', resource: { uri: 'file:///a', blob: 'AAAA' } }] }), /resource file:\/\/\/a: binary, 3 B/);
  assert.equal(resultText({ content: [{ type: 'text', text: '{"a":1}' }], structuredContent: { a: 1 } }), '{"a":1}');
  assert.match(resultText({ content: [{ type: 'text', text: 'the sum' }], structuredContent: { sum: 42 } }), /the sum\nStructured content:\n\{\n {2}"sum": 42\n\}/);
  assert.equal(resultText({ content: [] }), '(the tool returned no content)');
});

test('"Add MCP Server": a command line becomes a stdio definition (quotes kept, nothing expanded), a URL an http one', () => {
  assert.deepEqual(definitionFromLine('npx -y @modelcontextprotocol/server-everything'), {
    type: 'stdio',
    command: 'npx',
    args: ['-y', '@modelcontextprotocol/server-everything'],
  });
  assert.deepEqual(splitCommandLine(`node "my server.js" '$HOME' ""`), ['node', 'my server.js', '$HOME', '']);
  assert.deepEqual(definitionFromLine('http://127.0.0.1:3001/mcp'), { type: 'http', url: 'http://127.0.0.1:3001/mcp' });
  assert.equal(suggestServerName('npx -y @modelcontextprotocol/server-everything'), 'everything');
  assert.equal(suggestServerName('http://127.0.0.1:3001/mcp'), '127.0.0.1');
});

test('a server that keeps failing is restarted after a growing delay: 1 s, 2 s, 4 s … at most 30 s', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 10].map(restartDelayMs), [0, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
});
