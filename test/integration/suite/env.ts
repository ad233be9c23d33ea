/** What the harness tells the extension-host tests through the environment of code-server. */
export function e2eEnv(name: 'GLASSBOX_E2E_WORKSPACE' | 'GLASSBOX_E2E_OUTSIDE' | 'GLASSBOX_E2E_BASE_URL'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: these tests run inside code-server started by test/integration/run-e2e`);
  return value;
}
