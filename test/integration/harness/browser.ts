/**
 * Debian's Chromium driven by playwright-core. Started with `launchServer` so the harness knows
 * its PID and can stop its process group like every other process it starts.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { adoptGroup, type StartedGroup } from './process-group';

export interface TestBrowser {
  readonly browser: Browser;
  /** A fresh context (own storage) with outside traffic blocked, and one page in it. */
  newPage(logLines: string[]): Promise<{ context: BrowserContext; page: Page }>;
  stop(): Promise<void>;
}

export async function launchBrowser(executablePath: string): Promise<TestBrowser> {
  const server = await chromium.launchServer({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'],
  });
  const child = server.process();
  const group: StartedGroup | undefined = child.pid ? adoptGroup(child.pid, child) : undefined;
  const browser = await chromium.connect(server.wsEndpoint());
  return {
    browser,
    async newPage(logLines) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      // Nothing but the local server: no marketplace, no CDN. Webviews come from the same server.
      await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
      const page = await context.newPage();
      page.on('console', (message) => logLines.push(`[console.${message.type()}] ${message.text()}`));
      page.on('pageerror', (error) => logLines.push(`[pageerror] ${error.stack ?? error.message}`));
      return { context, page };
    },
    async stop() {
      await browser.close().catch(() => undefined);
      await server.close().catch(() => undefined);
      await group?.stop(3000);
    },
  };
}
