'use strict';
/*
 * Drives the map page in headless Chromium (Debian's /usr/bin/chromium through playwright-core) for
 * MapBrowserIT (and the popup's chart of an area's recent buckets). Prints one line per step, "STEP <name> <json>", and waits for "go" on stdin before
 * expecting the page to pick up new data. Arguments: base URL, screenshot path, user-data directory.
 */
const { chromium } = require('playwright-core');
const readline = require('readline');

const [base, screenshot, userDataDir] = process.argv.slice(2);
const TIMEOUT_MS = 60000;
const lines = readline.createInterface({ input: process.stdin });
const waiting = [];
lines.on('line', (line) => { const resolve = waiting.shift(); if (resolve) { resolve(line.trim()); } });
const nextLine = () => new Promise((resolve) => waiting.push(resolve));
const step = (name, value) => console.log('STEP ' + name + ' ' + JSON.stringify(value));

(async () => {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1366, height: 768 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync']
  });
  const errors = [];
  try {
    const page = context.pages()[0] || await context.newPage();
    page.on('console', (message) => { if (message.type() === 'error') { errors.push(message.text()); } });
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('requestfailed', (request) => {
      // The event stream is cut when the page closes, and the page aborts a fetch it no longer needs
      // (the selection changed); anything else failing is an error.
      const aborted = (request.failure() || {}).errorText === 'net::ERR_ABORTED';
      if (!request.url().endsWith('/api/v1/live') && !aborted) {
        errors.push('request failed: ' + request.url() + ' ' + (request.failure() || {}).errorText);
      }
    });

    await page.goto(base + '/#level=country&quantity=vwc&resolution=PT1H');
    const drawnAs = (key) => page.waitForFunction((k) => window.soilMap && window.soilMap.drawn().key === k &&
      Object.keys(window.soilMap.drawn().features).length > 0, key, { timeout: TIMEOUT_MS });
    await drawnAs('country|vwc|PT1H');
    step('vwc', await page.evaluate(() => window.soilMap.drawn()));

    await page.selectOption('#quantity', 'soc');
    await drawnAs('country|soc|PT1H');
    step('soc', await page.evaluate(() => window.soilMap.drawn()));

    await page.waitForFunction(() => window.soilMap.drawn().live, null, { timeout: TIMEOUT_MS });
    const before = await page.evaluate(() => window.soilMap.drawn().features.FRA.value);
    step('ready', { live: true, fra: before });
    const go = await nextLine();
    if (go !== 'go') {
      throw new Error('expected go, got ' + go);
    }
    await page.waitForFunction((old) => window.soilMap.drawn().features.FRA.value !== old, before,
      { timeout: TIMEOUT_MS });
    step('updated', await page.evaluate(() => window.soilMap.drawn()));

    await page.evaluate(() => window.soilMap.openPopup('FRA'));
    const line = page.locator('.leaflet-popup .chart svg polyline');
    await line.waitFor({ timeout: TIMEOUT_MS });
    step('chart', {
      points: (await line.getAttribute('points')).trim().split(/\s+/).length,
      note: await page.locator('.leaflet-popup .chart .note').textContent()
    });
    await page.screenshot({ path: screenshot });
    step('errors', errors);
  } catch (error) {
    step('failed', { message: String(error), errors: errors });
    process.exitCode = 1;
  } finally {
    await context.close();
    lines.close();
  }
})();
