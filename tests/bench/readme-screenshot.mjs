// Takes the README's screenshot (docs/screenshot.png) from the release build in dist/:
// the "Warm-up then cosine" preset at 1400x1050 in the light theme, headless Chromium.
//   trunk build --release --offline && node tests/bench/readme-screenshot.mjs [out.png]
import { chromium } from 'playwright-core';
import path from 'node:path';
import { startStaticServer, CHROMIUM, CHROMIUM_ARGS, DIST, ROOT } from '../e2e/harness.mjs';

const out = process.argv[2] || path.join(ROOT, 'docs', 'screenshot.png');
const srv = await startStaticServer({ root: DIST });
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
try {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 1050 }, colorScheme: 'light' });
  const page = await ctx.newPage();
  await page.goto(srv.url);
  await page.waitForFunction(() => document.documentElement.dataset.lrpState === 'started');
  const presets = page.locator('.topbar select');
  const names = await presets.locator('option').allInnerTexts();
  await presets.selectOption({ index: names.findIndex((n) => /warm-up/i.test(n)) });
  await page.waitForTimeout(600); // the side panel mounts a frame later; let everything draw
  await page.screenshot({ path: out });
  console.log(`written: ${out}`);
} finally {
  await browser.close();
  await srv.close();
}
