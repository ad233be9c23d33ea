// Each layer boundary in eslint.config.mjs, proven: a fixture that crosses it must be rejected,
// and its lawful twin must pass, so a rule that is removed or too broad fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { repoRoot } from '../../support/paths';

const root = repoRoot;

interface Fixture {
  /** Where the file would live: the config picks rules by path. */
  readonly file: string;
  readonly source: string;
  /** A piece of the rejection message, or null when the import is lawful. */
  readonly rejected: RegExp | null;
}

const fixtures: Record<string, Fixture> = {
  'agent imports vscode': { file: 'src/agent/loop/fixture.ts', source: "import * as vscode from 'vscode';\nexport const x = vscode;\n", rejected: /only src\/extension\.ts and src\/host/ },
  'agent imports a tool': { file: 'src/agent/loop/fixture.ts', source: "import { readFile } from '../../tools/read-file';\nexport const x = readFile;\n", rejected: /never imports them/ },
  'agent imports the tool registry': { file: 'src/agent/fixture.ts', source: "import { createTools } from '../tools';\nexport const x = createTools;\n", rejected: /never imports them/ },
  'agent imports the host': { file: 'src/agent/model/fixture.ts', source: "import { ChatView } from '../../host/chat-view';\nexport const x = ChatView;\n", rejected: /VS Code wiring/ },
  'agent imports the CLI': { file: 'src/agent/fixture.ts', source: "import { main } from '../cli/main';\nexport const x = main;\n", rejected: /nothing imports it/ },
  'agent imports a webview': { file: 'src/agent/fixture.ts', source: "import { TraceModel } from '../webview/trace-model';\nexport const x = TraceModel;\n", rejected: /run in a browser/ },
  'agent imports its own rooms': { file: 'src/agent/loop/fixture.ts', source: "import { redactSecrets } from '../safety/redact';\nexport const x = redactSecrets;\n", rejected: null },
  'agent imports shared': { file: 'src/agent/loop/fixture.ts', source: "import { ChatViewMessage } from '../../shared/protocol';\nexport const x = ChatViewMessage;\n", rejected: /src\/shared builds on it/ },
  'agent imports a package folder named shared': { file: 'src/agent/mcp/fixture.ts', source: "import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';\nexport type X = Transport;\n", rejected: null },
  'a contract imports a room': { file: 'src/agent/events.ts', source: "import type { ApprovalSettings } from './safety/approval';\nexport type X = ApprovalSettings;\n", rejected: /Contracts are leaves/ },
  'a contract imports a room, types only': { file: 'src/agent/tool.ts', source: "import type { ChatMessage } from './model/model';\nexport type X = ChatMessage;\n", rejected: /Contracts are leaves/ },
  'a contract imports another contract': { file: 'src/agent/events.ts', source: "import type { Risk } from './tool';\nexport type X = Risk;\n", rejected: null },
  'format.ts imports anything': { file: 'src/agent/format.ts', source: "import type { Risk } from './tool';\nexport type X = Risk;\n", rejected: /stays a leaf that imports nothing/ },
  'shared imports the core': { file: 'src/shared/fixture.ts', source: "import type { AgentEvent } from '../agent/events';\nexport type X = AgentEvent;\n", rejected: null },
  'tool imports vscode': { file: 'src/tools/fixture.ts', source: "import * as vscode from 'vscode';\nexport const x = vscode;\n", rejected: /only src\/extension\.ts and src\/host/ },
  'tool imports the host': { file: 'src/tools/fixture.ts', source: "import { settings } from '../host/settings';\nexport const x = settings;\n", rejected: /VS Code wiring/ },
  'tool imports the CLI': { file: 'src/tools/fixture.ts', source: "import { parseArgs } from '../cli/args';\nexport const x = parseArgs;\n", rejected: /nothing imports it/ },
  'tool imports the core': { file: 'src/tools/fixture.ts', source: "import { defineTool } from '../agent/tool';\nexport const x = defineTool;\n", rejected: null },
  'CLI imports the host': { file: 'src/cli/fixture.ts', source: "import { settings } from '../host/settings';\nexport const x = settings;\n", rejected: /VS Code wiring/ },
  'CLI imports vscode': { file: 'src/cli/fixture.ts', source: "import * as vscode from 'vscode';\nexport const x = vscode;\n", rejected: /only src\/extension\.ts and src\/host/ },
  'shared imports a tool': { file: 'src/shared/fixture.ts', source: "import { readFile } from '../tools/read-file';\nexport const x = readFile;\n", rejected: /never imports them/ },
  'webview imports a core value': { file: 'src/webview/fixture.ts', source: "import { runAgent } from '../agent/loop/run-agent';\nexport const x = runAgent;\n", rejected: /use `import type`/ },
  'webview imports the protocol schemas': { file: 'src/webview/fixture.ts', source: "import { ChatViewMessage } from '../shared/protocol';\nexport const x = ChatViewMessage;\n", rejected: /use `import type`/ },
  'webview imports the core\'s format helpers': { file: 'src/webview/fixture.ts', source: "import { clip } from '../agent/format';\nexport const x = clip;\n", rejected: null },
  'webview imports a core value beside format': { file: 'src/webview/fixture.ts', source: "import { formatCost } from '../agent/format-cost';\nexport const x = formatCost;\n", rejected: /use `import type`/ },
  'webview imports a contract value': { file: 'src/webview/fixture.ts', source: "import { CancelledError } from '../agent/errors';\nexport const x = CancelledError;\n", rejected: /use `import type`/ },
  'webview imports core types': { file: 'src/webview/fixture.ts', source: "import type { AgentEvent } from '../agent/events';\nexport type X = AgentEvent;\n", rejected: null },
  'webview imports a Node built-in': { file: 'src/webview/fixture.ts', source: "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", rejected: /no Node built-ins/ },
  'webview imports the host': { file: 'src/webview/fixture.ts', source: "import type { ChatView } from '../host/chat-view';\nexport type X = ChatView;\n", rejected: /runs in a browser/ },
  'webview imports vscode': { file: 'src/webview/fixture.ts', source: "import * as vscode from 'vscode';\nexport const x = vscode;\n", rejected: /src\/shared\/protocol\.ts messages/ },
};

const eslint = new ESLint({ cwd: root });

for (const [name, fixture] of Object.entries(fixtures)) {
  test(`lint layers: ${name} is ${fixture.rejected ? 'rejected' : 'allowed'}`, async () => {
    const [result] = await eslint.lintText(fixture.source, { filePath: join(root, fixture.file) });
    const messages = result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
    if (fixture.rejected === null) {
      assert.deepEqual(messages, []);
    } else {
      assert.ok(messages.some((m) => m.startsWith('@typescript-eslint/no-restricted-imports') && fixture.rejected!.test(m)), messages.join('\n') || 'no lint message');
    }
  });
}
