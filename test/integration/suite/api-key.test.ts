/**
 * The API key commands against the extension host's real SecretStorage. Set API Key needs a
 * person typing into a password box, so its round trip is the UI scenario ui/api-key.ts; here
 * the commands must at least complete, which they only do once SecretStorage has answered.
 */
import * as vscode from 'vscode';

async function within<T>(ms: number, what: string, promise: Thenable<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([Promise.resolve(promise), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('API key (SecretStorage)', () => {
  it('Clear API Key completes, twice in a row', async () => {
    await within(10_000, 'glassbox.clearApiKey', vscode.commands.executeCommand('glassbox.clearApiKey'));
    await within(10_000, 'glassbox.clearApiKey (again)', vscode.commands.executeCommand('glassbox.clearApiKey'));
  });
});
