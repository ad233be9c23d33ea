/**
 * Installs the test extension that offers a chat model through `registerLanguageModelChatProvider`
 * (test/integration/lm-provider/extension.ts) into a session's extensions folder, the way an
 * unpacked VSIX lies there: `<publisher>.<name>-<version>/` with its manifest and code.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { distTest } from './paths';

export const LM_PROVIDER_EXTENSION_ID = 'glassbox-test.lm-provider';

export function installLmProviderExtension(extensionsDir: string): void {
  const dir = join(extensionsDir, 'glassbox-test.lm-provider-0.0.1');
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(distTest, 'test/integration/lm-provider/extension.js'), join(dir, 'extension.js'));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'lm-provider',
        publisher: 'glassbox-test',
        displayName: 'Glassbox Test LM Provider',
        version: '0.0.1',
        engines: { vscode: '^1.104.0' },
        main: './extension.js',
        activationEvents: ['onStartupFinished'],
        contributes: { languageModelChatProviders: [{ vendor: 'glassbox-test', displayName: 'Glassbox Test LM' }] },
      },
      null,
      2,
    ),
  );
}
