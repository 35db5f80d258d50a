// Debian's chromium driven by playwright-core for the browser tests: a
// fresh profile each time, no network but loopback, and the page's console
// errors collected so a test can say there were none.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TOP, CIVSTAT, ACCOUNTS, start } from '../api/harness.mjs';

export const DIST = resolve(TOP, 'web/dist');
// Screenshots go beside the binary under test: build/ui or build-san/ui.
export const SHOTS = resolve(CIVSTAT, '../ui');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };

// The server with the UI and a browser; stop() ends both.
export async function open({ lang } = {}) {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error(`${DIST}/index.html missing: run make ui`);
  mkdirSync(SHOTS, { recursive: true });
  const server = await start({ static: DIST });
  const profile = mkdtempSync(join(tmpdir(), 'civstat-ui-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: DESKTOP,
    locale: 'zh-CN',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const errors = [];
  const watch = (page) => {
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    return page;
  };
  context.on('page', watch);
  if (lang) {
    await context.addInitScript((l) => {
      try { localStorage.setItem('civstat.lang', l); } catch { /* about:blank */ }
    }, lang);
  }
  return {
    server, context, errors,
    url: (hash = '#/') => `${server.url}/${hash}`,
    async page(viewport = DESKTOP) {
      const page = await context.newPage();
      await page.setViewportSize(viewport);
      return page;
    },
    async stop() {
      await context.close().catch(() => {});
      await server.stop();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Waits until the home page has its three pillar columns filled.
export async function homeReady(page) {
  await page.waitForSelector('[data-testid="pillar"] [data-testid="card"]', { timeout: 15000 });
}

// Number of pixels of a canvas that are not transparent (sampled).
export function inkOf(page, selector) {
  return page.$eval(selector, (c) => {
    const g = c.getContext('2d');
    const { data } = g.getImageData(0, 0, c.width, c.height);
    let n = 0;
    for (let k = 3; k < data.length; k += 16) if (data[k]) n++;
    return n;
  });
}

// Signs name in on the login page and waits until the header says so.
export async function signIn(ui, page, name) {
  await page.goto(ui.url('#/login'));
  await page.fill('#login-name', name);
  await page.fill('#login-password', ACCOUNTS[name][2]);
  await page.click('form.login-form button[type="submit"]');
  await page.waitForFunction((n) => document.querySelector('[data-testid="who"]')?.textContent.includes(n), name);
}
