'use strict';
/*
 * Drives the map page in headless Chromium (Debian's /usr/bin/chromium through playwright-core) for
 * MapBrowserIT: the country layer, the quantity picker (SOC, SOC stock), new data told by the live
 * stream, the popup's chart of an area's recent buckets, and the time slider. Prints one line per step,
 * "STEP <name> <json>", and waits for "go" on stdin before expecting the page to pick up new data.
 * Arguments: base URL, screenshot path, user-data directory; a second screenshot, at the slider's
 * earlier bucket, goes next to the first with "-time" before its extension.
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
// Leaflet fades a popup in: a screenshot waits until it is opaque.
let popupShown;

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
    popupShown = () => page.waitForFunction(() => {
      const popup = document.querySelector('.leaflet-popup');
      return popup && getComputedStyle(popup).opacity === '1';
    }, null, { timeout: TIMEOUT_MS });
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
    await drawnAs('measure|country|vwc|PT1H');
    step('vwc', await page.evaluate(() => window.soilMap.drawn()));

    await page.selectOption('#quantity', 'soc');
    await drawnAs('measure|country|soc|PT1H');
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
    await popupShown();
    await page.screenshot({ path: screenshot });

    // The slider: its range ends at the newest bucket (the one just written); one step back is the first.
    await page.waitForFunction(() => { const d = window.soilMap.drawn(); return d.range && d.range.steps >= 2; },
      null, { timeout: TIMEOUT_MS });
    const range = await page.evaluate(() => window.soilMap.drawn().range);
    await page.locator('#time').fill(String(range.steps - 2));
    await page.waitForFunction(() => window.soilMap.drawn().time !== null &&
      window.soilMap.drawn().key.endsWith(window.soilMap.drawn().time), null, { timeout: TIMEOUT_MS });
    step('slider', Object.assign(await page.evaluate(() => window.soilMap.drawn()),
      { label: await page.locator('#time-label').textContent() }));
    await page.screenshot({ path: screenshot.replace(/(\.png)?$/, '-time.png') });
    await page.click('#latest');
    await page.waitForFunction(() => window.soilMap.drawn().time === null &&
      window.soilMap.drawn().key === 'measure|country|soc|PT1H', null, { timeout: TIMEOUT_MS });
    step('latest', await page.evaluate(() => window.soilMap.drawn()));

    await page.selectOption('#quantity', 'soc_stock');
    await page.selectOption('#resolution', 'P1D');
    await drawnAs('measure|country|soc_stock|P1D');
    step('stock', Object.assign(await page.evaluate(() => window.soilMap.drawn()),
      { legend: await page.locator('.legend h2').textContent() }));

    // 4 ‰ progress: the same geometries coloured by each area's rate, and the ranked list beside them.
    await page.selectOption('#mode', 'progress');
    await drawnAs('progress|country|soc_stock|P1D');
    await page.waitForFunction(() => document.querySelectorAll('#ranking-list li').length >= 2, null,
      { timeout: TIMEOUT_MS });
    await page.evaluate(() => window.soilMap.openPopup('FRA'));
    await page.locator('.leaflet-popup .headline').waitFor({ timeout: TIMEOUT_MS });
    step('progress', Object.assign(await page.evaluate(() => window.soilMap.drawn()), {
      ranking: await page.locator('#ranking-list li').allTextContents(),
      popup: await page.locator('.leaflet-popup').textContent(),
      legend: await page.locator('.legend h2').textContent()
    }));
    await popupShown();
    await page.screenshot({ path: screenshot.replace(/(\.png)?$/, '-progress.png') });
    step('errors', errors);
  } catch (error) {
    step('failed', { message: String(error), errors: errors });
    process.exitCode = 1;
  } finally {
    await context.close();
    lines.close();
  }
})();
