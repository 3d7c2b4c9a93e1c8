// Smoke tests of the release build (dist/): loads, mounts, stays on its origin, runs under a
// strict CSP, works from a sub-path on a plain static server, and fails readably.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { openApp, closeAll, DIST, CSP } from './harness.mjs';

after(closeAll);

test('release build loads and mounts with no console errors and no outside requests', async () => {
  const app = await openApp();
  const { page } = app;
  assert.equal(await page.locator('#loading').count(), 0, '#loading is removed once the app mounts');
  assert.match(await page.title(), /LR Playground/);
  assert.ok((await page.locator('body').innerText()).trim().length > 0, 'the app rendered something');
  const file = await app.screenshot('smoke-home');
  assert.ok(existsSync(file));
  assert.deepEqual(app.errors(), []);
  assert.deepEqual(app.externalRequests(), []);
  assert.ok(app.requests.some((r) => r.url.endsWith('.wasm')), 'the wasm was fetched');
  await app.close();
});

test('works under a strict Content-Security-Policy header', async () => {
  let cspHeader = null;
  const app = await openApp('', {
    csp: true,
    beforeGoto: (page) => page.on('response', (r) => {
      if (r.request().resourceType() === 'document') cspHeader = r.headers()['content-security-policy'];
    }),
  });
  assert.equal(cspHeader, CSP, 'the server sent the CSP header');
  assert.equal(await app.page.locator('#loading').count(), 0);
  assert.deepEqual(app.errors(), [], 'no CSP violation or other error');
  assert.deepEqual(app.externalRequests(), []);
  await app.screenshot('smoke-csp');
  await app.close();
});

test('dist/ has no inline script and only relative asset URLs', () => {
  const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)];
  assert.ok(scripts.length >= 1);
  for (const [tag, body] of scripts) {
    assert.match(tag, /\bsrc=/, `script without src: ${tag}`);
    assert.equal(body.trim(), '', `inline script body in ${tag}`);
  }
  assert.doesNotMatch(html, /\s(?:src|href)="\/(?!\/)/, 'no root-absolute URLs');
  assert.doesNotMatch(html, /\s(?:src|href)="(?:https?:)?\/\//, 'no absolute URLs');
});

test('works from a sub-path on a plain static server (python3 -m http.server)', async () => {
  let wasmType = null;
  const app = await openApp('', {
    server: 'python',
    basePath: '/some/sub/path/',
    beforeGoto: (page) => page.on('response', (r) => {
      if (r.url().endsWith('.wasm')) wasmType = r.headers()['content-type'];
    }),
  });
  assert.ok(app.url.includes('/some/sub/path/'));
  assert.equal(wasmType, 'application/wasm');
  assert.deepEqual(app.errors(), []);
  assert.deepEqual(app.externalRequests(), []);
  await app.close();
});

test('shows a readable error when the wasm cannot be loaded', async () => {
  const app = await openApp('', {
    waitForMount: false,
    beforeGoto: (page) => page.route('**/*_bg.wasm', (route) => route.fulfill({ status: 404, body: 'gone' })),
  });
  const alert = app.page.locator('#lrp-error[role="alert"]');
  await alert.waitFor({ timeout: 20000 });
  assert.match(await alert.innerText(), /Could not start LR Playground/);
  assert.equal(await app.page.locator('#loading').count(), 0, 'the error replaces the loading state');
  assert.equal(await app.page.evaluate(() => document.documentElement.dataset.lrpState), 'error');
  await app.screenshot('smoke-load-error');
  await app.close();
});

// A browser without a WebAssembly feature: its validate() refuses boot.js's probe module
// that uses the instruction `opcode` (the app's own compile never calls validate()).
async function expectTooOld(opcode) {
  const app = await openApp('', {
    waitForMount: false,
    beforeGoto: (page) => page.addInitScript((op) => {
      const validate = WebAssembly.validate.bind(WebAssembly);
      WebAssembly.validate = (bytes) => {
        const b = new Uint8Array(bytes);
        return b.length < 64 && b.includes(op) ? false : validate(bytes);
      };
    }, opcode),
  });
  const alert = app.page.locator('#lrp-error[role="alert"]');
  await alert.waitFor({ timeout: 20000 });
  const text = await alert.innerText();
  assert.match(text, /too old/);
  assert.match(text, /Chrome or Edge 96, Firefox 89, Safari 16\.4/);
  assert.match(text, /too old[\s\S]*SIMD and reference types: Chrome or Edge 96/);
  assert.equal(await app.page.locator('#loading').count(), 0, 'the message replaces the loading state');
  assert.equal(await app.page.evaluate(() => document.documentElement.dataset.lrpState), 'error');
  assert.doesNotMatch(text, /CompileError/);
  await app.close();
}

test('a browser without WebAssembly SIMD is told which versions work instead of a compile error', async () => {
  await expectTooOld(253); // the SIMD prefix (0xfd)
});

test('a browser without WebAssembly reference types gets the same message', async () => {
  await expectTooOld(208); // ref.null (0xd0)
});

test('shows the <noscript> message without JavaScript', async () => {
  const app = await openApp('', { waitForMount: false, contextOptions: { javaScriptEnabled: false } });
  assert.match(await app.page.locator('body').innerText(), /needs JavaScript/);
  await app.close();
});
