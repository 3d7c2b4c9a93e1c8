// Browser benchmark of LR Playground's release build (dist/): input-to-paint latency, cold
// start, size and memory, in headless Chromium driven by playwright-core.
//
//   scripts/bench.sh                 builds the release, then runs this file
//   node tests/bench/bench.mjs       on an existing dist/ (BENCH_DIST=... for another one)
//
// Options (environment): BENCH_ONLY=latency,cold,size,memory (default: all),
// BENCH_EVENTS (slider events per latency scenario, 300), BENCH_LOADS (cold loads, 10),
// BENCH_MEMORY_EVENTS (10000), BENCH_OUT (JSON file; default target/bench/bench-<time>.json,
// also copied to target/bench/latest.json).
//
// What is measured, and how:
// * latency: the page dispatches one slider `input` event per animation frame from its own
//   requestAnimationFrame loop, alternating between two sweeps of the slider (every event is a
//   new value). The app closes a `performance.measure("update")` from the event's timeStamp to
//   the end of the drawing it caused (src/ui/frame.rs); those entries are collected with a
//   PerformanceObserver. The app's own breakdown measures (simulate, surface, draw:*) are
//   collected too when `window.__lrpPerf` is set before the app starts.
// * cold start: navigation start (timeOrigin) to the app's `performance.mark("charts-painted")`
//   (set the first time all three charts have drawn), each load in a fresh browser context
//   (empty HTTP and code caches).
// * size: every file the app loads (wasm, JS, CSS, HTML) in dist/, raw and gzip -9.
// * memory: JS heap (CDP Runtime.getHeapUsage after HeapProfiler.collectGarbage) and the wasm
//   linear memory (`memory.buffer.byteLength` of the wasm exports that assets/boot.js hands to
//   its `TrunkApplicationStarted` event) before and after N slider events.
//
// Timings are printed, never asserted.

import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync, readdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { startStaticServer, CHROMIUM, ROOT, slider, field } from '../e2e/harness.mjs';

const DIST = path.resolve(process.env.BENCH_DIST || path.join(ROOT, 'dist'));
const OUT_DIR = path.join(ROOT, 'target', 'bench');
const ONLY = (process.env.BENCH_ONLY || 'latency,cold,size,memory').split(',').map((s) => s.trim());
const EVENTS = Number(process.env.BENCH_EVENTS || 300);
const LOADS = Number(process.env.BENCH_LOADS || 10);
const MEMORY_EVENTS = Number(process.env.BENCH_MEMORY_EVENTS || 10000);
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const VIEWPORT = { width: 1280, height: 800 };

// Heavy: 1000 points (800 train, batch 20: 40 steps per epoch) x 1000 epochs = 40,000 SGD steps,
// OneCycleLR stepped per batch over all of them.
const SCENARIOS = [
  {
    name: 'default',
    about: 'logistic, 200 points, 300 epochs, StepLR; dragging gamma',
    hash: '#scheduler=StepLR&step_size=30&gamma=0.1&lr=0.1&problem=logistic&points=200&epochs=300',
    key: 'gamma',
    sweep: [100, 900],
    pins: 0,
  },
  {
    name: 'heavy',
    about: 'logistic, 1000 points, 1000 epochs, OneCycleLR per batch, 4 pinned runs; dragging max_lr',
    hash: '#scheduler=OneCycleLR&max_lr=0.1&total_steps=40000&lr=0.1&problem=logistic&points=1000'
      + '&epochs=1000&stepping=batch',
    key: 'max_lr',
    sweep: [450, 750],
    pins: 4,
    pinValues: ['0.05', '0.2', '0.5', '0.1'],
  },
];


function pct(sorted, p) {
  if (!sorted.length) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  const r = (v) => (v == null ? null : Math.round(v * 100) / 100);
  return {
    n: s.length, p50: r(pct(s, 50)), p95: r(pct(s, 95)), max: r(s[s.length - 1]),
    mean: r(s.reduce((a, b) => a + b, 0) / (s.length || 1)),
  };
}

/** Hooks installed before any page script: keeps the wasm exports, enables breakdown marks. */
function initScript(perf) {
  window.__lrpPerf = perf;
  addEventListener('TrunkApplicationStarted', (ev) => { window.__lrpWasm = ev.detail && ev.detail.wasm; });
}

async function newPage(browser, hash, srv, { perf = true } = {}) {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  await context.route('**/*', (route) => {
    const u = route.request().url();
    return /^(data|blob):/.test(u) || new URL(u).origin === srv.origin ? route.continue() : route.abort();
  });
  await context.addInitScript(initScript, perf);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(srv.url + hash, { waitUntil: 'load' });
  await page.waitForFunction(
    () => document.documentElement.dataset.lrpState === 'started' && !document.getElementById('loading'),
    null, { timeout: 60000 });
  await settle(page);
  return { context, page, errors };
}

async function settle(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50)))));
}

/** In the page: dispatch `count` input events on the slider, one per animation frame. */
async function drive(page, key, sweep, count, { collect = true } = {}) {
  return page.evaluate(async ({ sel, lo, hi, count, collect }) => {
    const el = document.querySelector(sel);
    if (!el) throw new Error(`no slider ${sel}`);
    const names = ['update', 'effects', 'simulate', 'surface', 'draw:lr', 'draw:loss', 'draw:params'];
    const got = Object.fromEntries(names.map((n) => [n, []]));
    const obs = collect ? new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (got[e.name]) got[e.name].push(e.duration);
    }) : null;
    if (obs) obs.observe({ type: 'measure' });
    // Two interleaved sweeps (lo→ and ←hi), so consecutive events are far apart and no value
    // repeats within a sweep: every event changes the run.
    const span = Math.max(1, hi - lo);
    const value = (i) => {
      const k = Math.floor(i / 2) % (span + 1);
      return i % 2 === 0 ? lo + k : hi - k;
    };
    let long = 0;
    const t0 = performance.now();
    await new Promise((resolve) => {
      let i = 0;
      let last = performance.now();
      const tick = (ts) => {
        if (ts - last > 50) long++;
        last = ts;
        if (i >= count) return resolve();
        requestAnimationFrame(tick);
        el.value = String(value(i++));
        el.dispatchEvent(new Event('input', { bubbles: true }));
      };
      requestAnimationFrame(tick);
    });
    // Let the last update finish and its measure arrive.
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 100))));
    const elapsed = performance.now() - t0;
    if (obs) {
      for (const e of obs.takeRecords()) if (got[e.name]) got[e.name].push(e.duration);
      obs.disconnect();
    }
    return { got, elapsed, long };
  }, { sel: slider(key), lo: sweep[0], hi: sweep[1], count, collect });
}

async function pinRuns(page, sc) {
  for (let i = 0; i < sc.pins; i++) {
    const v = sc.pinValues[i % sc.pinValues.length];
    await page.fill(field(sc.key), v);
    await page.locator(field(sc.key)).dispatchEvent('change');
    await settle(page);
    await page.getByRole('button', { name: 'Pin run' }).click();
    await settle(page);
  }
  const n = await page.locator('.pins li').count();
  if (n !== sc.pins) throw new Error(`${sc.name}: ${n} pinned runs, wanted ${sc.pins}`);
}

async function latency(browser, srv) {
  const out = {};
  for (const sc of SCENARIOS) {
    const { context, page, errors } = await newPage(browser, sc.hash, srv);
    const notices = await page.locator('.banner.notice').allInnerTexts();
    if (notices.length) throw new Error(`${sc.name}: the URL was not taken as is: ${notices.join(' | ')}`);
    if (sc.pins) await pinRuns(page, sc);
    // Warm up (JIT tiers, caches), then measure.
    await drive(page, sc.key, sc.sweep, 30, { collect: false });
    await settle(page);
    const r = await drive(page, sc.key, sc.sweep, EVENTS);
    const steps = await page.evaluate(() => document.getElementById('lr-summary')?.textContent || '');
    out[sc.name] = {
      about: sc.about,
      hash: sc.hash,
      pins: sc.pins,
      events: EVENTS,
      update_ms: stats(r.got.update),
      breakdown_ms: Object.fromEntries(Object.entries(r.got).filter(([k]) => k !== 'update').map(([k, v]) => [k, stats(v)])),
      frames_over_50ms: r.long,
      elapsed_ms: Math.round(r.elapsed),
      lr_summary: steps,
      errors,
    };
    await context.close();
  }
  return out;
}

async function coldStart(browser, srv) {
  const times = [];
  const details = [];
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(srv.url, { waitUntil: 'load' });
    await page.waitForFunction(() => performance.getEntriesByName('charts-painted', 'mark').length > 0, null, { timeout: 60000 });
    const t = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const wasm = performance.getEntriesByType('resource').find((r) => r.name.endsWith('.wasm'));
      return {
        painted: performance.getEntriesByName('charts-painted', 'mark')[0].startTime,
        domContentLoaded: nav ? nav.domContentLoadedEventEnd : null,
        wasmFetched: wasm ? wasm.responseEnd : null,
      };
    });
    times.push(t.painted);
    details.push(Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v == null ? null : Math.round(v * 10) / 10])));
    await context.close();
  }
  return { loads: LOADS, charts_painted_ms: stats(times), each: details };
}

function sizes() {
  const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
  // What index.html loads: its CSS links, boot.js and the files boot.js is pointed at.
  const refs = new Set(['index.html']);
  // Quoted or not (release builds minify the HTML, which drops the quotes).
  for (const m of html.matchAll(/(?:href|src|data-lrp-js|data-lrp-wasm)=["']?(?:\.\/)?([^"'\s>]+)/g)) refs.add(m[1]);
  const files = readdirSync(DIST).filter((f) => refs.has(f) && /\.(wasm|js|css|html)$/.test(f));
  const kinds = {};
  const each = [];
  for (const f of files) {
    const buf = readFileSync(path.join(DIST, f));
    const gz = gzipSync(buf, { level: 9 }).length;
    // For reference only (the target is gzip): what a server compressing with brotli sends.
    const br = brotliCompressSync(buf, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    const kind = path.extname(f).slice(1);
    kinds[kind] ??= { raw: 0, gzip: 0, brotli: 0 };
    kinds[kind].raw += buf.length;
    kinds[kind].gzip += gz;
    kinds[kind].brotli += br;
    each.push({ file: f, raw: buf.length, gzip: gz, brotli: br });
  }
  const total = Object.values(kinds).reduce(
    (a, k) => ({ raw: a.raw + k.raw, gzip: a.gzip + k.gzip, brotli: a.brotli + k.brotli }),
    { raw: 0, gzip: 0, brotli: 0 },
  );
  return { ...kinds, total, files: each };
}

async function memoryUse(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const wasm = await page.evaluate(() => window.__lrpWasm?.memory?.buffer?.byteLength ?? null);
  return { js_heap_used: heap.usedSize, js_heap_total: heap.totalSize, wasm_memory: wasm };
}

async function memory(browser, srv) {
  const sc = SCENARIOS[0];
  const { context, page, errors } = await newPage(browser, sc.hash, srv, { perf: false });
  const cdp = await context.newCDPSession(page);
  await drive(page, sc.key, sc.sweep, 50, { collect: false });
  await settle(page);
  const before = await memoryUse(page, cdp);
  const t0 = Date.now();
  await drive(page, sc.key, sc.sweep, MEMORY_EVENTS, { collect: false });
  await settle(page);
  const after = await memoryUse(page, cdp);
  const growth = {
    js_heap_used: after.js_heap_used - before.js_heap_used,
    wasm_memory: after.wasm_memory == null ? null : after.wasm_memory - before.wasm_memory,
  };
  growth.total = growth.js_heap_used + (growth.wasm_memory || 0);
  const measures = await page.evaluate(() => performance.getEntriesByType('measure').length);
  await context.close();
  return { scenario: sc.name, events: MEMORY_EVENTS, seconds: Math.round((Date.now() - t0) / 100) / 10, before, after, growth, measures_buffered: measures, errors };
}

// kB = 1000 bytes, MB = 10^6 bytes (the targets: 200 KB gzip, 2 MB growth).
const kb = (b) => `${(b / 1000).toFixed(1)} kB`;
const mb = (b) => `${(b / 1e6).toFixed(2)} MB`;

function print(res) {
  const lines = [];
  lines.push(`LR Playground benchmark — ${res.date} — ${res.machine} — ${res.browser} — load average ${res.load_avg.start.toFixed(1)} → ${res.load_avg.end.toFixed(1)}`);
  if (res.latency) {
    for (const [name, r] of Object.entries(res.latency)) {
      const u = r.update_ms;
      lines.push(`latency ${name.padEnd(8)} input-to-paint p50 ${u.p50} ms  p95 ${u.p95} ms  max ${u.max} ms  (n=${u.n}; ${r.about})`);
      const parts = Object.entries(r.breakdown_ms).filter(([, s]) => s.n).map(([k, s]) => `${k} p50 ${s.p50} p95 ${s.p95} (n=${s.n})`);
      if (parts.length) lines.push(`        breakdown: ${parts.join('; ')}`);
      if (r.errors.length) lines.push(`        page errors: ${r.errors.join(' | ')}`);
    }
  }
  if (res.cold) {
    const c = res.cold.charts_painted_ms;
    lines.push(`cold start: navigation to all three charts painted p50 ${c.p50} ms (min of ${c.n}: ${Math.min(...res.cold.each.map((e) => e.painted))} ms, max ${c.max} ms)`);
  }
  if (res.size) {
    const s = res.size;
    const part = (k) => (s[k] ? `${k} ${kb(s[k].raw)} / ${kb(s[k].gzip)}` : null);
    lines.push(`size (raw / gzip): ${['wasm', 'js', 'css', 'html'].map(part).filter(Boolean).join(', ')}; total ${kb(s.total.raw)} / ${kb(s.total.gzip)} (brotli -11, for reference: ${kb(s.total.brotli)})`);
  }
  if (res.memory) {
    const m = res.memory;
    lines.push(`memory over ${m.events} events: JS heap ${mb(m.before.js_heap_used)} → ${mb(m.after.js_heap_used)}, wasm ${mb(m.before.wasm_memory || 0)} → ${mb(m.after.wasm_memory || 0)}; growth ${mb(m.growth.total)}`);
  }
  for (const t of res.targets || []) {
    lines.push(`target ${t.name.padEnd(34)} ${String(t.value).padStart(8)} ${t.unit} (≤ ${t.target}) ${t.met ? 'met' : 'MISSED'}`);
  }
  return lines.join('\n');
}

/** The targets against the figures measured (those that were measured). */
function targets(res) {
  const out = [];
  const add = (name, value, target, unit) => {
    if (value != null) out.push({ name, value, target, unit, met: value <= target });
  };
  add('default input-to-paint p95', res.latency?.default?.update_ms.p95, 8, 'ms');
  add('heavy input-to-paint p95', res.latency?.heavy?.update_ms.p95, 16, 'ms');
  add('cold start p50', res.cold?.charts_painted_ms.p50, 250, 'ms');
  add('wasm + JS + CSS + HTML gzip', res.size ? Math.round(res.size.total.gzip / 100) / 10 : null, 200, 'kB');
  add('memory growth over slider events', res.memory ? Math.round(res.memory.growth.total / 1e4) / 100 : null, 2, 'MB');
  return out;
}

async function main() {
  const res = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model?.trim() || 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    dist: DIST,
    // Other work on the machine skews every timing: the 1-minute load average at the start
    // and at the end (2 cores: above ~1 the benchmark shares the CPU).
    load_avg: { start: os.loadavg()[0] },
  };
  if (ONLY.includes('size')) res.size = sizes();
  const srv = await startStaticServer({ root: DIST });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  res.browser = `Chromium ${browser.version()}`;
  try {
    if (ONLY.includes('cold')) res.cold = await coldStart(browser, srv);
    if (ONLY.includes('latency')) res.latency = await latency(browser, srv);
    if (ONLY.includes('memory')) res.memory = await memory(browser, srv);
  } finally {
    await browser.close();
    await srv.close();
  }
  res.load_avg.end = os.loadavg()[0];
  res.targets = targets(res);
  mkdirSync(OUT_DIR, { recursive: true });
  const file = process.env.BENCH_OUT || path.join(OUT_DIR, `bench-${res.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(res, null, 2));
  copyFileSync(file, path.join(OUT_DIR, 'latest.json'));
  console.log(print(res));
  console.log(`written: ${path.relative(ROOT, file)} (and target/bench/latest.json)`);
}

main().catch((e) => { console.error(e); process.exit(1); });
