/// <reference lib="dom" />
import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import type { Page, Request } from 'playwright-core';
import { StrategosHeader, stepQueueName, type DeadLetter } from '@strategos/nestjs';
import { launchBrowser, type TestBrowser } from './support/browser';
import { HEADER_USER_GUARD, startDashboardApp, type DashboardTestApp } from './support/dashboard-app';
import { waitUntil } from './support/wait-until';

/** Set on the page's window once it is open: still there later, the page was not reloaded. */
const SAME_DOCUMENT = '__strategosSameDocument';

/**
 * The dead-letters page keeps itself current, in Chromium against a worker process on the real RabbitMQ and
 * PostgreSQL: a command the worker dead-letters while the page is open shows up without a reload, a letter
 * discarded elsewhere goes, and the Refresh button reads the page again at once.
 */
describe('Dashboard in Chromium: dead letters kept current', () => {
  let app: DashboardTestApp;
  let browser: TestBrowser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    app = await startDashboardApp({ guard: HEADER_USER_GUARD, liveBatchMs: 250 }, 1);
    browser = await launchBrowser({ extraHTTPHeaders: { 'x-test-user': 'ana' } });
    page = await browser.context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  afterEach(() => expect(problems).toEqual([]));

  /** Sends a command the worker cannot decode to a step queue, and waits until the archiver has stored it. */
  async function deadLetterABadCommand(): Promise<DeadLetter> {
    const queue = stepQueueName(app.environment.namespace, 'process-order', 'ValidateOrder');
    const messageId = randomUUID();
    const connection = await amqp.connect(app.environment.rabbitmqUrl);
    try {
      const channel = await connection.createConfirmChannel();
      channel.sendToQueue(queue, Buffer.from('{"workflowId":"half a command"}'), {
        messageId,
        headers: { [StrategosHeader.WorkflowId]: `ghost-${randomUUID()}` },
      });
      await channel.waitForConfirms();
    } finally {
      await connection.close();
    }
    return waitUntil(
      'the half command in the dead-letter store',
      async () => (await app.deadLetters.list()).find((stored) => stored.messageId === messageId),
      { timeoutMs: 60_000 },
    );
  }

  const cardOf = (letter: DeadLetter) => page.locator(`li[data-dead-letter="${letter.id}"]`);
  const isDeadLettersRead = (request: Request) => new URL(request.url()).pathname.endsWith('/api/dead-letters');

  it('shows a dead letter stored while the page is open, without a reload, and only once', async () => {
    await page.goto(`${app.url}/#/dead-letters`);
    await page.getByText('No dead letters.').waitFor();
    await page.evaluate((key) => Object.assign(window, { [key]: true }), SAME_DOCUMENT);

    const letter = await deadLetterABadCommand();
    const card = cardOf(letter);
    await card.waitFor({ timeout: 30_000 });
    expect(await card.locator('.code').textContent()).toBe('INVALID_COMMAND');
    expect(await card.locator('p').first().textContent()).toBe(letter.reason);
    expect(await page.getByText('No dead letters.').count()).toBe(0);

    // Later reads replace the letters shown rather than add to them: two more, so the first one's answer is drawn.
    for (let read = 0; read < 2; read++)
      await page.waitForResponse((response) => isDeadLettersRead(response.request()), { timeout: 30_000 });
    expect(await page.locator('li[data-dead-letter]').count()).toBe(1);
    expect(await page.evaluate((key) => (window as unknown as Record<string, unknown>)[key], SAME_DOCUMENT)).toBe(true);
  });

  it('drops a letter discarded elsewhere (another operator, the CLI) without a reload', async () => {
    const [letter] = await app.deadLetters.list();
    const card = cardOf(letter);
    await card.waitFor();
    await app.deadLetters.discard(letter.id);
    await card.waitFor({ state: 'detached', timeout: 30_000 });
    await page.getByText('No dead letters.').waitFor();
    expect(await page.evaluate((key) => (window as unknown as Record<string, unknown>)[key], SAME_DOCUMENT)).toBe(true);
  });

  it('reads the page again on Refresh: with the tab hidden, its read is the only one', async () => {
    // As the browser reports a tab in the background: the page stops its periodic reads.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    const reads: string[] = [];
    page.on('request', (request) => isDeadLettersRead(request) && reads.push(request.url()));

    const letter = await deadLetterABadCommand();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await cardOf(letter).waitFor({ timeout: 30_000 });
    // The letter came from the click's read: no periodic read was made while the tab was hidden.
    expect(reads).toHaveLength(1);

    // Shown again, the page reads at once and resumes its periodic reads.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await waitUntil('a read when the tab is shown again', () => (reads.length >= 2 ? true : undefined), { timeoutMs: 30_000 });
    expect(await page.locator('li[data-dead-letter]').count()).toBe(1);
  });
});
