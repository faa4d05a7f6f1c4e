/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { anOrder, initialOrderState, processOrder } from '@app/orders';
import { forkedSaga } from './fixtures/scripted-workflow';
import { paymentFlow, SIGNAL_STEPS } from './fixtures/signal-workflows';
import { launchBrowser, type TestBrowser } from './support/browser';
import { HEADER_USER_GUARD, startDashboardApp, type DashboardTestApp } from './support/dashboard-app';

const ROOT = join(__dirname, '..', '..', '..');
/** As in dashboard-browser.e2e-spec.ts: `UPDATE_DASHBOARD_SCREENSHOTS=1` also refreshes the README's copies. */
const OUTPUT = join(ROOT, 'test-output', 'dashboard');
const DOCS = join(ROOT, 'docs', 'dashboard');
const APPROVAL = 'manager-approval';

/**
 * The run page's answers to a waiting run and its view of a fork, in Chromium against a worker process on the real
 * RabbitMQ and PostgreSQL: an order over 1,000 approved from the browser, and a run inside a fork's two paths.
 */
describe('Dashboard in Chromium: approvals and forks', () => {
  let app: DashboardTestApp;
  let browser: TestBrowser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    app = await startDashboardApp(
      { guard: HEADER_USER_GUARD, liveBatchMs: 250 },
      1,
      {},
      {
        workflows: [processOrder, forkedSaga, paymentFlow],
        // The worker process runs the order example and the fork; the app itself runs the signal workflow's steps.
        steps: ['Reserve', 'Release', 'Ship', 'Escalate', 'Confirm'].map((step) => `payment-flow.${step}`),
        providers: SIGNAL_STEPS,
      },
    );
    browser = await launchBrowser({ extraHTTPHeaders: { 'x-test-user': 'ana' } });
    page = await browser.context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  /** A screenshot of the top of the page, or of the part where `scrolledTo` is. */
  async function screenshot(name: string, scrolledTo?: string): Promise<void> {
    if (scrolledTo) await page.locator(scrolledTo).scrollIntoViewIfNeeded();
    else await page.evaluate(() => window.scrollTo(0, 0));
    const path = join(OUTPUT, `${name}.png`);
    await page.screenshot({ path, fullPage: false });
    if (process.env.UPDATE_DASHBOARD_SCREENSHOTS === '1') copyFileSync(path, join(DOCS, `${name}.png`));
  }

  it('approves an order over 1,000 waiting for a manager: the run completes, its history shows the operator', async () => {
    const order = anOrder({ items: [{ sku: 'DESK-PRO', quantity: 1, price: 1_499 }] });
    const { workflowId } = await app.starter.start(processOrder, initialOrderState(order, `big-${randomUUID()}`));
    await page.goto(`${app.url}/#/runs/${encodeURIComponent(workflowId)}`);
    // The run page knows the wait: approve and reject sit next to it (live: the run reaches it after ValidateOrder).
    const approve = page.locator(`[data-testid="active"] button[data-action="approve"][data-wait="${APPROVAL}"]`);
    await approve.waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid="active"] button[data-action="reject"]').count()).toBe(1);
    expect(await page.locator('[data-testid="active"] button[data-action="signal"]').count()).toBe(0);
    await page.waitForSelector('[data-testid="diagram"] svg', { timeout: 30_000 });
    await screenshot('run-waiting');

    await approve.click();
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    // The approval's name comes from the wait, read only; the comment is optional.
    expect(await dialog.locator('input[name="name"]').inputValue()).toBe(APPROVAL);
    expect(await dialog.locator('input[name="name"]').getAttribute('readonly')).not.toBeNull();
    const unlabelled = await dialog.evaluate((element) =>
      [...element.querySelectorAll('input, textarea, select, button')]
        .filter((control) => !control.closest('label') && !control.getAttribute('aria-label') && !(control.textContent ?? '').trim())
        .map((control) => control.outerHTML),
    );
    expect(unlabelled).toEqual([]);
    await dialog.locator('input[name="comment"]').fill('within budget');
    await dialog.locator('button[data-confirm="approve"]').click();
    await page.waitForSelector('dialog[open]', { state: 'detached' });

    await page.waitForSelector('[data-testid="run-status"] >> text=completed', { timeout: 60_000 });
    await page.waitForSelector(`[data-testid="timeline"] li[data-kind="OperatorAction"] >> text=Operator: approve ${APPROVAL} by ana`);
    await page.waitForSelector('[data-testid="timeline"] li[data-kind="SignalReceived"]');
    await screenshot('run-approved', '[data-testid="timeline"] li[data-kind="OperatorAction"]');
    const view = await app.query.get(workflowId);
    expect(view).toMatchObject({ status: 'completed', state: { approvedBy: 'ana' } });
    const history = await app.query.history(workflowId);
    expect(history.find((entry) => entry.kind === 'OperatorAction')?.data).toEqual({
      action: 'approve',
      actor: 'ana',
      outcome: 'applied',
      signal: APPROVAL,
      reason: 'within budget',
    });
  });

  it('sends a signal with JSON data from the form of a run waiting for it; bad JSON and a refused payload are shown', async () => {
    const { workflowId } = await app.starter.start(paymentFlow, { workflowId: `pay-${randomUUID()}` });
    await page.goto(`${app.url}/#/runs/${encodeURIComponent(workflowId)}`);
    const send = page.locator('[data-testid="active"] button[data-action="signal"][data-wait="payment-confirmed"]');
    await send.waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid="active"] button[data-action="approve"]').count()).toBe(0);
    await send.click();
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    expect(await dialog.locator('input[name="name"]').inputValue()).toBe('payment-confirmed');
    const data = dialog.locator('textarea[name="data"]');
    const confirm = dialog.locator('button[data-confirm="signal"]');
    await data.fill('{ oops');
    await confirm.click();
    await dialog.locator('[role="alert"] >> text=not valid JSON').waitFor();
    // Valid JSON the wait's payload class refuses: the server's code and the property, and the run keeps waiting.
    await data.fill('{ "reference": "tx-42", "amount": -1 }');
    await confirm.click();
    await dialog.locator('[role="alert"] >> text=INVALID_SIGNAL_PAYLOAD').waitFor();
    expect(await dialog.locator('[role="alert"]').textContent()).toContain('amount');
    // The browser logs that refused request (400), and only that.
    expect(problems.splice(0)).toEqual([expect.stringContaining('status of 400')]);
    await screenshot('run-signal');
    await data.fill('{ "reference": "tx-42", "amount": 42 }');
    await confirm.click();
    await page.waitForSelector('dialog[open]', { state: 'detached' });
    await page.waitForSelector('[data-testid="run-status"] >> text=completed', { timeout: 60_000 });
    await page.waitForSelector('[data-testid="timeline"] li[data-kind="OperatorAction"] >> text=Operator: signal payment-confirmed by ana');
    expect((await app.query.get(workflowId))?.state).toMatchObject({
      paymentRef: 'tx-42',
      amount: 42,
      ran: ['Reserve', 'Ship', 'Confirm'],
    });
  });

  it("shows a run inside a fork: both paths' positions, highlighted in the diagram, and a lane per path", async () => {
    // Both paths take a while: the run stays inside the fork with two active positions while the page is read.
    const script = { PathA: { sleepMs: 12_000 }, PathB: { sleepMs: 12_000 } };
    const { workflowId } = await app.starter.start(forkedSaga, { workflowId: `fork-${randomUUID()}`, script });
    await page.goto(`${app.url}/#/runs/${encodeURIComponent(workflowId)}`);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="active"] li[data-path]').length === 2, undefined, {
      timeout: 30_000,
    });
    const positions = await page
      .locator('[data-testid="active"] li[data-path]')
      .evaluateAll((items) => items.map((item) => [item.getAttribute('data-path'), item.getAttribute('data-step')]));
    expect(positions).toEqual([
      ['fork#1.1', 'PathA'],
      ['fork#1.2', 'PathB'],
    ]);
    const details = (await (await fetch(`${app.url}/api/runs/${workflowId}`)).json()) as { diagram: string };
    expect(details.diagram).toMatch(/class .*PathA.* current/);
    expect(details.diagram).toMatch(/class .*PathB.* current/);
    await page.waitForSelector('[data-testid="diagram"] svg', { timeout: 30_000 });
    // Mermaid draws each highlighted state with the `current` class.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="diagram"] svg .current').length >= 2);
    const lanes = page.locator('[data-testid="fork-block"] [data-lane]');
    expect(await lanes.evaluateAll((items) => items.map((item) => item.getAttribute('data-lane')))).toEqual(['fork#1.1', 'fork#1.2']);
    await screenshot('run-fork');

    // When both paths are done the page (live) shows each path's completion in its lane, then the join after the block.
    await page.waitForSelector('[data-testid="run-status"] >> text=completed', { timeout: 60_000 });
    for (const [lane, step] of [
      ['fork#1.1', 'PathA'],
      ['fork#1.2', 'PathB'],
    ])
      expect(await page.locator(`[data-lane="${lane}"] li[data-kind="StepCompleted"]`).textContent()).toContain(`${step} completed`);
    expect(await page.locator('[data-testid="timeline"] > li[data-kind="PhaseChanged"] >> text=→ Join').count()).toBe(1);

    // The lanes stack at 390 px and sit side by side at 1280x720, without horizontal scrolling either way.
    for (const viewport of [
      { width: 390, height: 844 },
      { width: 1280, height: 720 },
    ]) {
      await page.setViewportSize(viewport);
      await page.reload();
      await page.waitForSelector('[data-testid="fork-block"] [data-lane]');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      if (viewport.width === 390) await screenshot('mobile-run-fork', '[data-testid="fork-block"]');
    }
    expect(problems).toEqual([]);
  });
});
