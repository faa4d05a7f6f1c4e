/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as amqp from 'amqplib';
import type { Page } from 'playwright-core';
import { anOrder, initialOrderState, processOrder } from '@app/orders';
import { StrategosHeader, stepQueueName, type HistoryEntry } from '@strategos/nestjs';
import { launchBrowser, type TestBrowser } from './support/browser';
import { HEADER_USER_GUARD, startDashboardApp, type DashboardTestApp } from './support/dashboard-app';
import { waitUntil } from './support/wait-until';

const ROOT = join(__dirname, '..', '..', '..');
/** Screenshots of every page (gitignored); `UPDATE_DASHBOARD_SCREENSHOTS=1` also refreshes the README's copies in docs/dashboard. */
const OUTPUT = join(ROOT, 'test-output', 'dashboard');
const DOCS = join(ROOT, 'docs', 'dashboard');

/**
 * The dashboard in a real browser (Debian's Chromium driven by playwright-core) against the order example on
 * the real RabbitMQ and PostgreSQL: an API-only app serving the dashboard, and a worker process.
 */
describe('Dashboard in Chromium', () => {
  let app: DashboardTestApp;
  let browser: TestBrowser;
  let page: Page;
  const problems: string[] = [];
  let failed: string;

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    app = await startDashboardApp({ guard: HEADER_USER_GUARD, liveBatchMs: 250 }, 1);
    for (let i = 0; i < 3; i++) await app.starter.start(processOrder, initialOrderState(anOrder(), `order-${i}-${randomUUID()}`));
    failed = (await app.starter.start(processOrder, initialOrderState(anOrder({ items: [] }), `invalid-${randomUUID()}`))).workflowId;
    // Undeliverable: fails after the fork's payment and reservation, both undone, so it always ends `compensated`
    // (out of stock could end `failed` when it beats the payment path).
    await app.starter.start(
      processOrder,
      initialOrderState(
        anOrder({ shippingAddress: { street: 'Nowhere 1', city: 'Atlantis', postalCode: '0', country: 'XX' } }),
        `undeliverable-${randomUUID()}`,
      ),
    );
    await app.query.waitFor(failed, { timeoutMs: 60_000 });
    // The operator's identity, as an authenticating proxy would add it; the guard puts it on the request.
    browser = await launchBrowser({ extraHTTPHeaders: { 'x-test-user': 'ana' } });
    page = await browser.context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  async function screenshot(name: string): Promise<void> {
    const path = join(OUTPUT, `${name}.png`);
    await page.screenshot({ path, fullPage: false });
    if (process.env.UPDATE_DASHBOARD_SCREENSHOTS === '1') copyFileSync(path, join(DOCS, `${name}.png`));
  }

  async function expectNoHorizontalOverflow(): Promise<void> {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  }

  it('lists the runs and shows a run started meanwhile moving live to completed', async () => {
    await page.goto(`${app.url}/`);
    await page.waitForSelector(`tr[data-run="${failed}"]`);
    await page.waitForSelector('[data-testid="live"]');
    await screenshot('runs');
    const workflowId = `live-${randomUUID()}`;
    await app.starter.start(processOrder, initialOrderState(anOrder(), workflowId));
    // No reload and no polling: the row arrives and changes through the server-sent batches.
    await page.waitForSelector(`tr[data-run="${workflowId}"][data-status="completed"]`, { timeout: 60_000 });
    expect(await page.locator(`tr[data-run="${workflowId}"] [data-testid="phase"]`).textContent()).toBe('Completed');
    await expectNoHorizontalOverflow();
  });

  it('filters the list by status through the form', async () => {
    await page.selectOption('select[name="status"]', 'failed');
    await page.click('button[type="submit"]');
    await page.waitForFunction(() => location.hash.includes('status=failed'));
    await page.waitForFunction(
      (id) => [...document.querySelectorAll('tr[data-run]')].every((row) => row.getAttribute('data-run') === id),
      failed,
    );
    expect(await page.locator('tr[data-run]').count()).toBe(1);
  });

  it('opens a failed run (state, timeline, diagram at its position) and retries it, recorded with the operator', async () => {
    await page.click(`a[href="#/runs/${encodeURIComponent(failed)}"]`);
    await page.waitForSelector('[data-testid="run-status"] >> text=failed');
    await page.waitForSelector('[data-testid="diagram"] svg', { timeout: 30_000 });
    expect(await page.locator('[data-testid="timeline"] li[data-kind="StepFailed"]').count()).toBeGreaterThan(0);
    expect(await page.locator('details.json summary').first().textContent()).toContain('state');
    await screenshot('run-failed');
    await page.click('button[data-action="retry"]');
    await page.waitForSelector('dialog[open]');
    await page.click('dialog[open] button[data-confirm="retry"]');
    await page.waitForSelector('[data-testid="timeline"] li[data-kind="OperatorAction"] >> text=Operator: retry by ana', {
      timeout: 30_000,
    });
    await page.waitForSelector('[data-testid="timeline"] li[data-kind="Retried"]');
    const history = await app.query.history(failed);
    expect(history.find((entry) => entry.kind === 'OperatorAction')?.data).toEqual({ action: 'retry', actor: 'ana', outcome: 'applied' });
    await page.locator('[data-testid="timeline"] li[data-kind="OperatorAction"]').scrollIntoViewIfNeeded();
    await screenshot('run-retried');
  });

  it('lists a dead letter with its code and reason and replays it', async () => {
    const queue = stepQueueName(app.environment.namespace, 'process-order', 'ValidateOrder');
    const messageId = randomUUID();
    const connection = await amqp.connect(app.environment.rabbitmqUrl);
    const channel = await connection.createConfirmChannel();
    channel.sendToQueue(queue, Buffer.from('{"workflowId":"half a command"}'), {
      messageId,
      headers: { [StrategosHeader.WorkflowId]: failed },
    });
    await channel.waitForConfirms();
    await connection.close();
    // The letter's id, to find its card, is known once the archiver has stored it (the page, which reads its dead
    // letters every few seconds, would show it anyway: dashboard-dead-letters-live.e2e-spec.ts).
    const letter = await waitUntil(
      'the half command in the dead-letter store',
      async () => (await app.deadLetters.list()).find((stored) => stored.messageId === messageId),
      { timeoutMs: 60_000 },
    );
    await page.click('nav a[href="#/dead-letters"]');
    const card = page.locator(`li[data-dead-letter="${letter.id}"]`);
    await card.waitFor();
    expect(await card.locator('.code').textContent()).toBe('INVALID_COMMAND');
    expect(await card.locator('p').first().textContent()).toBe(letter.reason);
    await screenshot('dead-letters');
    await card.locator('button[data-action="replay"]').click();
    await page.click('dialog[open] button[data-confirm="replay"]');
    await page.waitForSelector('dialog[open]', { state: 'detached' });
    const isReplay = (entry: HistoryEntry) => entry.kind === 'OperatorAction' && entry.data.action === 'replay';
    const history = await waitUntil("the replay on the run's history", async () => {
      const entries = await app.query.history(failed);
      return entries.some(isReplay) ? entries : undefined;
    });
    const replays = history.filter(isReplay);
    expect(replays).toHaveLength(1);
    expect(replays[0].data).toMatchObject({ actor: 'ana', outcome: 'applied', deadLetterId: letter.id });
  });

  it('shows per-workflow stats, reached with the keyboard alone', async () => {
    await page.goto(`${app.url}/`);
    await page.waitForSelector('tr[data-run]');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    // Tab on to the Stats link and follow it with Enter.
    for (let i = 0; i < 10 && (await page.evaluate(() => document.activeElement?.textContent)) !== 'Stats'; i++)
      await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForSelector('section[data-workflow="process-order"] [data-testid="failure-rate"]');
    expect(await page.locator('tr[data-step="ProcessPayment"]').count()).toBe(1);
    await screenshot('stats');
  });

  it('labels every form control', async () => {
    for (const hash of ['#/runs', '#/dead-letters', '#/stats']) {
      await page.goto(`${app.url}/${hash}`);
      await page.waitForSelector('main h1');
      const unlabelled = await page.evaluate(() =>
        [...document.querySelectorAll('input, select, button')]
          .filter((element) => !element.closest('label') && !element.getAttribute('aria-label') && !(element.textContent ?? '').trim())
          .map((element) => element.outerHTML),
      );
      expect(unlabelled).toEqual([]);
    }
  });

  it('renders in the dark colour scheme', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${app.url}/#/runs/${encodeURIComponent(failed)}`);
    await page.waitForSelector('[data-testid="diagram"] svg', { timeout: 30_000 });
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(13, 17, 23)');
    await screenshot('run-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('keeps every page within 390 px and 1280x720 without horizontal scrolling', async () => {
    for (const viewport of [
      { width: 390, height: 844 },
      { width: 1280, height: 720 },
    ]) {
      await page.setViewportSize(viewport);
      for (const [hash, ready] of [
        ['#/runs', 'tr[data-run]'],
        [`#/runs/${encodeURIComponent(failed)}`, '[data-testid="diagram"] svg'],
        ['#/dead-letters', 'main h1'],
        ['#/stats', 'section[data-workflow]'],
      ]) {
        await page.goto(`${app.url}/${hash}`);
        await page.waitForSelector(ready, { timeout: 30_000 });
        await expectNoHorizontalOverflow();
        if (viewport.width === 390 && hash !== '#/dead-letters')
          await screenshot(`mobile-${hash.split('/')[1]}${hash.includes('/runs/') ? '-run' : ''}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
