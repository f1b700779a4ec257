import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent } from '@plumb/agent';
import { DeepSeek } from '@plumb/core';
import { createRecorder } from '@plumb/recorder';
import { startEmulator } from '@plumb/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FIXTURES } from '../test-helpers.js';
import { type Studio, startStudio } from './server.js';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

/** Waits generous enough for a loaded CI machine (vitest's default is 1 s). */
const POLL = { timeout: 15_000 };

/** Screenshots are kept as test artifacts (gitignored). */
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

function chromiumPath(): string | undefined {
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
    } catch {}
  }
  return undefined;
}

const executablePath = chromiumPath();
if (executablePath === undefined) {
  // Visible, not silent: CI installs Chromium (scripts/ci-chromium.sh) so this never skips there.
  console.warn('studio browser tests skipped: no chromium on PATH (apt-get install -y chromium)');
}

describe.skipIf(executablePath === undefined)('plumb studio in Chromium', () => {
  let dir: string;
  let studio: Studio;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'plumb-studio-'));
    const store = join(dir, 'runs.jsonl');
    // A run recorded by another program, with hostile text in it.
    const emulator = await startEmulator({
      script: [{ content: '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>' }],
    });
    const recorder = createRecorder({ store });
    const other = new Agent({
      name: 'other-<b>app</b>',
      client: new DeepSeek({ apiKey: emulator.apiKey, baseURL: emulator.url }),
      recorder,
    });
    await other.run('Say something hostile');
    await recorder.close();
    await emulator.close();
    studio = await startStudio({ agentModule: join(FIXTURES, 'shop-agent.ts'), store, port: 0 });
    browser = await chromium.launch({
      executablePath: executablePath as string,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists runs and shows recorded content as text, never as markup', async () => {
    await page.goto(studio.url);
    const row = page.getByTestId('run-row').first();
    await expect.poll(() => row.textContent(), POLL).toContain('other-<b>app</b>');
    await row.click();
    await page.getByTestId('step-text').first().waitFor();
    expect(await page.getByTestId('step-text').first().textContent()).toBe(
      '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>',
    );
    expect(await page.locator('main img, main script, main [onerror]').count()).toBe(0);
    expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
    await page.screenshot({ path: join(ARTIFACTS, 'studio-hostile-run.png'), fullPage: true });
  });

  it('walks a run from the list to the timeline and approves a pending call', async () => {
    await page.goto(`${studio.url}#/chat`);
    await page.getByTestId('chat-input').fill('please pay the bill');
    await page.getByTestId('chat-send').click();
    await page.getByTestId('chat-approval').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'studio-chat-approval.png'), fullPage: true });

    await page.getByTestId('nav-runs').click();
    const row = page.getByTestId('run-row').first();
    await expect.poll(() => row.textContent(), POLL).toContain('interrupted');
    await row.click();
    const approval = page.getByTestId('approval');
    await approval.waitFor();
    expect(await page.getByTestId('tool-call').first().getAttribute('data-status')).toBe('pending');
    expect(await page.getByTestId('step').first().textContent()).toContain('Step 1 · waiting for approval');
    await page.screenshot({ path: join(ARTIFACTS, 'studio-timeline-pending.png'), fullPage: true });
    await page.getByTestId('approve').click();

    // Back on the list: the resumed run (newest) finishes; its timeline shows the call's result.
    await expect
      .poll(() => page.getByTestId('run-row').first().textContent(), { timeout: 30_000 })
      .toContain('stop');
    await page.getByTestId('run-row').first().click();
    await page.getByTestId('tool-result').first().waitFor();
    expect(await page.getByTestId('tool-result').first().textContent()).toBe('sent 5');
    expect(await page.getByTestId('step-text').last().textContent()).toBe('Done: sent 5');
    expect(await page.getByTestId('summary-status').textContent()).toBe('stop');
    await page.screenshot({ path: join(ARTIFACTS, 'studio-timeline-approved.png'), fullPage: true });
  });

  it('shows per-step time and token bars, cache-hit ratio and cost', async () => {
    await page.goto(`${studio.url}#/chat`);
    await page.getByTestId('chat-input').fill("what's the weather?");
    await page.getByTestId('chat-send').click();
    await page.getByTestId('chat-usage').waitFor();
    expect(await page.getByTestId('chat-answer').last().textContent()).toBe(
      'Done: {"city":"Paris","celsius":21}',
    );
    await page.getByTestId('nav-runs').click();
    await page.getByTestId('run-row').first().click();
    await page.getByTestId('step').nth(1).waitFor();
    expect(await page.getByTestId('step')).toHaveProperty('count');
    expect(await page.getByTestId('step').count()).toBe(2);
    expect(await page.getByTestId('time-bar').count()).toBe(2);
    const segments = await page
      .getByTestId('token-bar')
      .first()
      .locator('[data-segment]')
      .evaluateAll((spans) => spans.map((span) => span.getAttribute('data-segment')));
    expect(segments).toEqual(['hit', 'miss', 'output', 'reasoning']);
    const width = await page
      .getByTestId('token-bar')
      .first()
      .locator('[data-segment="miss"]')
      .evaluate((span) => span.getBoundingClientRect().width);
    expect(width).toBeGreaterThan(0);
    expect(await page.getByTestId('summary-cost').textContent()).toMatch(/^\$\d+\.\d{6}$/);
    expect(await page.getByTestId('summary-cache-hit').textContent()).toMatch(/^\d+%$/);
    await page.screenshot({ path: join(ARTIFACTS, 'studio-timeline-bars.png'), fullPage: true });
  });

  it('re-runs a recorded conversation against the emulator', async () => {
    await page.goto(studio.url);
    const rows = page.getByTestId('run-row');
    await rows.first().waitFor();
    const before = await rows.count();
    await rows.first().click();
    await page.getByTestId('rerun').click();
    await page.waitForURL(/#\/run\/run_/);
    await page.getByTestId('step').nth(1).waitFor();
    expect(await page.getByTestId('step-text').last().textContent()).toBe(
      'Done: {"city":"Paris","celsius":21}',
    );
    await page.goto(studio.url);
    await expect.poll(() => page.getByTestId('run-row').count(), POLL).toBe(before + 1);
  });

  it('shows a run live while it streams', async () => {
    await page.goto(`${studio.url}#/chat`);
    await page.getByTestId('chat-input').fill('crawl along');
    await page.getByTestId('chat-send').click();
    await expect.poll(() => page.getByTestId('chat-answer').last().textContent(), POLL).toContain('tick');
    // A second tab watches: leaving the chat page would disconnect it, which aborts the run.
    const watcher = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await watcher.goto(studio.url);
    const row = watcher.getByTestId('run-row').first();
    await expect.poll(() => row.textContent(), POLL).toContain('running');
    await row.click();
    await expect.poll(() => watcher.getByTestId('step').first().textContent(), POLL).toContain('running…');
    await expect.poll(() => watcher.getByTestId('step').first().textContent(), POLL).toContain('tick');
    await watcher.screenshot({ path: join(ARTIFACTS, 'studio-live.png'), fullPage: true });
    await expect
      .poll(() => watcher.getByTestId('summary-status').textContent(), { timeout: 30_000 })
      .toBe('stop');
    await watcher.close();
  });
});
