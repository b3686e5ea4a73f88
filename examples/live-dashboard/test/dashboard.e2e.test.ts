import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { Dashboard, startDashboard } from '../src/app';

/** Debian's chromium package; never a downloaded browser. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const WAIT = 10_000;

let dashboard: Dashboard;
let browser: BrowserContext;
let profile: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: this end-to-end test drives a real headless Chromium and never downloads one. ` +
        'Install it with `apt-get update && apt-get install -y chromium` (Debian/Ubuntu), or point CHROMIUM_PATH at a Chromium binary.',
    );
  }
  dashboard = await startDashboard({ port: 0 });
  profile = mkdtempSync(join(tmpdir(), 'tributary-e2e-'));
  browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, viewport: { width: 1400, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

const openDashboard = async (): Promise<Page> => {
  const page = await browser.newPage();
  await page.goto(dashboard.url);
  await page.locator('#status[data-state="open"]').waitFor({ timeout: WAIT });
  return page;
};

const placeOrder = async (page: Page, customer: string, sku: string, qty: number) => {
  await page.fill('#customer', customer);
  await page.selectOption('#sku', sku);
  await page.fill('#qty', String(qty));
  await page.click('#place-order');
};

const eventRow = (page: Page, type: string, orderId: string) => page.locator(`#feed li[data-type="${type}"][data-order-id="${orderId}"]`);

describe('live dashboard in a real browser', () => {
  it('places an order from the page and shows its events live, on this page and on another one', async () => {
    const buyer = await openDashboard();
    const watcher = await openDashboard();

    await placeOrder(buyer, 'ada', 'book', 2);
    const result = buyer.locator('#form-result.ok');
    await result.waitFor({ timeout: WAIT });
    const orderId = await result.getAttribute('data-order-id');
    expect(orderId).toMatch(/^o-/);
    expect(await result.textContent()).toBe(`Order ${orderId} accepted.`);

    for (const page of [buyer, watcher]) {
      await eventRow(page, 'OrderCreated', orderId!).waitFor({ timeout: WAIT });
      await eventRow(page, 'PaymentCaptured', orderId!).waitFor({ timeout: WAIT });
      await eventRow(page, 'StockReserved', orderId!).waitFor({ timeout: WAIT });
      await eventRow(page, 'CustomerNotified', orderId!).nth(1).waitFor({ timeout: WAIT });
      expect(await eventRow(page, 'OrderCreated', orderId!).locator('.text').textContent()).toBe('ada ordered 2 × book — 40 €');
      const steps = await page.locator(`#orders li[data-order-id="${orderId}"] .step`).allTextContents();
      expect([...steps].sort()).toEqual(['created', 'notified', 'notified', 'paid', 'reserved']);
    }
    // the form's own answer went to the buyer only
    expect(await watcher.locator('#form-result').textContent()).toBe('');
  });

  it('shows a declined payment and a refused form', async () => {
    const page = await openDashboard();
    await placeOrder(page, 'linus', 'lamp', 12);
    const result = page.locator('#form-result.ok');
    await result.waitFor({ timeout: WAIT });
    const orderId = (await result.getAttribute('data-order-id'))!;
    await eventRow(page, 'PaymentDeclined', orderId).waitFor({ timeout: WAIT });
    expect(await eventRow(page, 'PaymentDeclined', orderId).locator('.text').textContent()).toBe('payment declined: over the 1000 € card limit');

    // past the browser's own form checks, the server refuses it
    await page.$eval('#order-form', (form: any) => (form.noValidate = true));
    await placeOrder(page, 'grace', 'book', 0);
    await page.locator('#form-result.bad').waitFor({ timeout: WAIT });
    expect(await page.locator('#form-result').textContent()).toBe('Quantity must be a whole number from 1 to 99.');
  });
});
