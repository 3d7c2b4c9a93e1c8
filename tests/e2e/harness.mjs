// Browser end-to-end harness for LR Playground (Playwright `playwright-core` + Debian Chromium).
//
// Run: `node --test tests/e2e/` after `trunk build --release` (scripts/test.sh does both).
// Nothing is downloaded: the browser is /usr/bin/chromium (override with E2E_CHROMIUM), the page
// is the release build in dist/ (override with E2E_DIST), served on 127.0.0.1 by this harness.
//
// ── API ────────────────────────────────────────────────────────────────────────────────────
//   import { test, after } from 'node:test';
//   import assert from 'node:assert/strict';
//   import { openApp, closeAll, dragSlider, canvasHash, summaryText } from './harness.mjs';
//   after(closeAll);                       // once per test file: stops browser and servers
//
//   const app = await openApp('#sched=step');   // hash (or '?query#hash') appended to the app URL
//   app.page             Playwright Page (fresh browser context per openApp, 1280x800)
//   app.url              the URL that was opened
//   app.origin           http://127.0.0.1:<port>
//   app.consoleErrors    [string]  console.error messages (CSP violations and panics land here)
//   app.consoleWarnings  [string]
//   app.pageErrors       [string]  uncaught exceptions
//   app.requests         [{url, method, resourceType}]  every request the page made
//   app.externalRequests()  requests that left app.origin (data:/blob: excluded); these are
//                        aborted by the harness, so no test ever touches the network
//   app.errors()         consoleErrors + pageErrors (assert it is [] at the end of a test)
//   app.screenshot(name) saves target/e2e-artifacts/<name>.png (full page), returns the path
//   app.close()          closes the context (closeAll() does it too)
//
//   openApp options (second argument):
//     csp: true          serve with the strict Content-Security-Policy header (CSP below)
//     server: 'python'   serve dist/ with `python3 -m http.server` instead of the node server
//     basePath: '/a/b/'  serve dist/ under a sub-path (as on GitHub Pages)
//     viewport: {width, height}, deviceScaleFactor, reducedMotion: 'reduce', colorScheme: 'dark'
//     waitForMount: false  return as soon as the page has loaded, without waiting for the app
//     contextOptions: {...}  extra Playwright newContext options (e.g. javaScriptEnabled: false)
//     beforeGoto: async (page, context) => {}  e.g. page.route(...) to break or slow a resource
//     timeout: ms        mount timeout (default 20000)
//   The app counts as mounted when <html data-lrp-state="started"> (set by assets/boot.js once
//   the wasm `main` returned) and #loading is gone.
//
//   await dragSlider(page, 'input#gamma', 0.5)   real mouse drag of an <input type=range> to a
//                        value (via its bounding box), then arrow keys to land exactly on the
//                        step; returns the final value (number). Fires input/change events.
//   await canvasHash(page, 'canvas#lr-chart')   sha256 hex of canvas.toDataURL()
//   await summaryText(page, 'lr')   the text summary of a chart, looked up in this order:
//                        [data-summary-for="lr"], #lr-summary, the element named by
//                        aria-describedby of [data-chart="lr"], that element's aria-label.
//   slider(key), field(key)  selectors of a parameter's range input and its text field
//   await settle(page)   wait for the effects and the next two animation frames (charts drawn)
//   await summaries(page)  { lr, loss, params }: the three charts' summaries (CHARTS: their names)
//   ARTIFACTS            absolute path of target/e2e-artifacts/
//   CSP                  the policy string used with { csp: true }
//   blankPage()          { page, close() }: an about:blank page in a fresh context (page.setContent)
//   startStaticServer({ root, basePath, headers }) / startPythonServer({ root, basePath })
//                        -> { origin, url, close() } if a test needs a server of its own
// ─────────────────────────────────────────────────────────────────────────────────────────

import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, existsSync, statSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = path.resolve(process.env.E2E_DIST || path.join(ROOT, 'dist'));
export const ARTIFACTS = path.join(ROOT, 'target', 'e2e-artifacts');
export const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-quic', '--disable-dev-shm-usage',
];
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; " +
  "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'";

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.ico': 'image/x-icon', '.json': 'application/json', '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json', '.woff2': 'font/woff2',
};

function normBase(basePath = '/') {
  let b = basePath.startsWith('/') ? basePath : `/${basePath}`;
  if (!b.endsWith('/')) b += '/';
  return b;
}

function assertDist(root) {
  if (!existsSync(path.join(root, 'index.html'))) {
    throw new Error(`${root}/index.html not found: run \`trunk build --release\` first (scripts/test.sh does)`);
  }
}

/** A plain static file server (no SPA fallback, correct MIME types) on 127.0.0.1:<free port>. */
export function startStaticServer({ root = DIST, basePath = '/', headers = {} } = {}) {
  assertDist(root);
  const base = normBase(basePath);
  const server = createServer((req, res) => {
    const send = (code, body) => {
      res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
    const urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!urlPath.startsWith(base)) return send(404, 'not found');
    let file = path.normalize(path.join(root, urlPath.slice(base.length)));
    if (file !== root && !file.startsWith(root + path.sep)) return send(403, 'forbidden');
    try {
      if (statSync(file).isDirectory()) file = path.join(file, 'index.html');
      const st = statSync(file);
      res.writeHead(200, {
        'Content-Type': MIME[path.extname(file).toLowerCase()] || 'application/octet-stream',
        'Content-Length': st.size,
        'Cache-Control': 'no-cache',
        // As GitHub Pages does: lets the app load inside a sandbox="allow-scripts" iframe,
        // whose opaque origin makes every request cross-origin.
        'Access-Control-Allow-Origin': '*',
        ...headers,
      });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).pipe(res);
    } catch {
      send(404, 'not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const origin = `http://127.0.0.1:${server.address().port}`;
      resolve({ origin, url: origin + base, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

/** `python3 -m http.server` on 127.0.0.1:<free port>; a sub-path is made with a symlink. */
export function startPythonServer({ root = DIST, basePath = '/' } = {}) {
  assertDist(root);
  const base = normBase(basePath);
  let dir = root;
  let tmp = null;
  if (base !== '/') {
    tmp = mkdtempSync(path.join(tmpdir(), 'lrp-www-'));
    const link = path.join(tmp, base.slice(1, -1));
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(root, link);
    dir = tmp;
  }
  const proc = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`python3 http.server did not start: ${out}`)), 10000);
    const onData = (d) => {
      out += d;
      const m = out.match(/port (\d+)/);
      if (m) {
        clearTimeout(timer);
        proc.stdout.off('data', onData);
        proc.stdout.resume();
        proc.stderr.resume();
        const origin = `http://127.0.0.1:${m[1]}`;
        resolve({
          origin,
          url: origin + base,
          close: () => new Promise((r) => {
            proc.once('exit', () => r());
            proc.kill();
            if (tmp) rmSync(tmp, { recursive: true, force: true });
          }),
        });
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', (d) => { out += d; });
    proc.once('exit', (code) => reject(new Error(`python3 http.server exited (${code}): ${out}`)));
  });
}

let browserPromise = null;
const servers = new Map();
const openContexts = new Set();

// One Chromium per test file (node --test runs each file in its own process). Playwright's
// launch() starts it with a fresh temporary --user-data-dir (mkdtemp) that it deletes on close;
// each openApp() gets its own incognito-like browser context on top.
async function browser() {
  if (!browserPromise) {
    browserPromise = chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    browserPromise.catch(() => { browserPromise = null; });
  }
  return browserPromise;
}

async function serverFor({ csp = false, server = 'node', basePath = '/' }) {
  const key = JSON.stringify({ csp, server, basePath });
  if (!servers.has(key)) {
    const headers = csp ? { 'Content-Security-Policy': CSP } : {};
    if (server === 'python' && csp) throw new Error('csp: true needs the node server');
    servers.set(key, server === 'python'
      ? startPythonServer({ basePath })
      : startStaticServer({ basePath, headers }));
  }
  return servers.get(key);
}

/** Open the release build in a fresh browser context; see the API notes at the top. */
export async function openApp(hash = '', options = {}) {
  const {
    viewport = { width: 1280, height: 800 }, deviceScaleFactor = 1, reducedMotion, colorScheme,
    waitForMount = true, timeout = 20000, contextOptions = {}, beforeGoto,
  } = options;
  const srv = await serverFor(options);
  const b = await browser();
  const context = await b.newContext({
    viewport, deviceScaleFactor, reducedMotion, colorScheme, ...contextOptions,
  });
  openContexts.add(context);
  const origin = srv.origin;
  const app = {
    context, origin, consoleErrors: [], consoleWarnings: [], pageErrors: [], requests: [],
    externalRequests() {
      return this.requests.filter((r) => !/^(data|blob):/.test(r.url) && new URL(r.url).origin !== origin);
    },
    errors() { return [...this.consoleErrors, ...this.pageErrors]; },
    async screenshot(name) {
      mkdirSync(ARTIFACTS, { recursive: true });
      const file = path.join(ARTIFACTS, `${name}.png`);
      await this.page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() { openContexts.delete(context); await context.close().catch(() => {}); },
  };
  // Nothing may leave the origin: record and abort such requests.
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (/^(data|blob):/.test(u) || new URL(u).origin === origin) return route.continue();
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  app.page = page;
  page.on('request', (r) => app.requests.push({ url: r.url(), method: r.method(), resourceType: r.resourceType() }));
  page.on('console', (m) => {
    const where = m.location()?.url ? ` (${m.location().url}:${m.location().lineNumber})` : '';
    if (m.type() === 'error') app.consoleErrors.push(m.text() + where);
    else if (m.type() === 'warning') app.consoleWarnings.push(m.text() + where);
  });
  page.on('pageerror', (e) => app.pageErrors.push(String(e?.stack || e)));
  const h = hash && !/^[#?]/.test(hash) ? `#${hash}` : hash;
  app.url = srv.url + h;
  if (beforeGoto) await beforeGoto(page, context);
  await page.goto(app.url, { waitUntil: 'load' });
  if (waitForMount) {
    try {
      await page.waitForFunction(
        () => document.documentElement.dataset.lrpState === 'started' && !document.getElementById('loading'),
        null, { timeout });
    } catch (e) {
      const state = await page.evaluate(() => document.documentElement.dataset.lrpState).catch(() => '?');
      throw new Error(`app did not mount within ${timeout} ms (state=${state}); errors: ${JSON.stringify(app.errors())}`);
    }
  }
  return app;
}

/** An about:blank page in a fresh context, for tests of markup given with page.setContent. */
export async function blankPage() {
  const context = await (await browser()).newContext({ viewport: { width: 800, height: 600 } });
  openContexts.add(context);
  const page = await context.newPage();
  return { page, context, close: async () => { openContexts.delete(context); await context.close().catch(() => {}); } };
}

/** Stop the browser and every server this file started. Register with `after(closeAll)`. */
export async function closeAll() {
  await Promise.all([...openContexts].map((c) => c.close().catch(() => {})));
  openContexts.clear();
  if (browserPromise) {
    const b = await browserPromise.catch(() => null);
    browserPromise = null;
    if (b) await b.close().catch(() => {});
  }
  const all = [...servers.values()];
  servers.clear();
  await Promise.all(all.map(async (p) => (await p.catch(() => null))?.close()));
}

/** Drag an <input type=range> to `toValue` with the mouse, then fix up with arrow keys. */
export async function dragSlider(page, selector, toValue) {
  const el = page.locator(selector).first();
  await el.scrollIntoViewIfNeeded();
  const info = await el.evaluate((e) => ({
    min: e.min === '' ? 0 : Number(e.min), max: e.max === '' ? 100 : Number(e.max),
    step: e.step === '' || e.step === 'any' ? (e.step === 'any' ? 0 : 1) : Number(e.step),
    value: Number(e.value), vertical: getComputedStyle(e).writingMode.startsWith('vertical'),
  }));
  const { min, max, step } = info;
  const clamp = (v) => Math.min(max, Math.max(min, v));
  const snap = (v) => (step > 0 ? clamp(min + Math.round((v - min) / step) * step) : clamp(v));
  const target = snap(Number(toValue));
  const box = await el.boundingBox();
  if (!box) throw new Error(`dragSlider: ${selector} is not visible`);
  const thumb = Math.min(16, box.width / 4); // Chromium's default thumb is ~16px wide
  const xOf = (v) => box.x + thumb / 2 + ((v - min) / (max - min || 1)) * (box.width - thumb);
  const y = box.y + box.height / 2;
  await page.mouse.move(xOf(info.value), y);
  await page.mouse.down();
  const from = xOf(info.value);
  const to = xOf(target);
  const steps = 8;
  for (let i = 1; i <= steps; i++) await page.mouse.move(from + ((to - from) * i) / steps, y);
  await page.mouse.up();
  // Fallback / fine-tune: arrow keys move by one step and fire input + change events.
  const eps = step > 0 ? step / 2 : Math.abs(max - min) / 1e6;
  for (let guard = 0; guard < 2000; guard++) {
    const v = await el.evaluate((e) => Number(e.value));
    if (Math.abs(v - target) <= eps) break;
    await el.focus();
    await page.keyboard.press(v < target ? 'ArrowRight' : 'ArrowLeft');
    if (step === 0) break; // step="any": arrows cannot land exactly
  }
  return el.evaluate((e) => Number(e.value));
}

/** sha256 (hex) of a canvas's toDataURL(): equal hashes mean identical pixels. */
export async function canvasHash(page, selector) {
  const dataUrl = await page.locator(selector).first().evaluate((c) => c.toDataURL('image/png'));
  return createHash('sha256').update(dataUrl).digest('hex');
}

/** The text summary of chart `chartName` (see the lookup order at the top). */
export async function summaryText(page, chartName) {
  return page.evaluate((name) => {
    const esc = CSS.escape(name);
    const direct = document.querySelector(`[data-summary-for="${esc}"]`) || document.getElementById(`${name}-summary`);
    if (direct) return direct.textContent.trim().replace(/\s+/g, ' ');
    const chart = document.querySelector(`[data-chart="${esc}"]`);
    if (!chart) return null;
    const ids = (chart.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    const text = ids.map((id) => document.getElementById(id)?.textContent || '').join(' ').trim();
    return (text || chart.getAttribute('aria-label') || '').replace(/\s+/g, ' ') || null;
  }, chartName);
}

/** Selectors of a parameter's slider and of its text field (number, expression or list). */
export const slider = (key) => `input[type=range][data-key="${key}"]`;
export const field = (key) => `input[data-key="${key}"]:not([type=range])`;

/** The three charts' names (`#<name>-chart`, `.summary[data-chart=<name>]`). */
export const CHARTS = ['lr', 'loss', 'params'];

/** Wait until effects ran and the next animation frames drew the charts. */
export async function settle(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 30)))));
}

/** Pin the run on screen, then for each of `values`: type it into `key`'s field and pin that run. */
export async function pinEach(page, key, values) {
  await page.click('text=Pin run');
  for (const v of values) {
    await page.fill(field(key), v);
    await settle(page);
    await page.click('text=Pin run');
  }
}

/** The text summaries of the three charts, by chart name. */
export async function summaries(page) {
  const out = {};
  for (const c of CHARTS) out[c] = await summaryText(page, c);
  return out;
}
