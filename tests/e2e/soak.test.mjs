// Soak test (issue 8): 10,000 random moves across every slider of the app (scheduler,
// optimizer, problem and training controls, and the epoch scrubber), with a random scheduler
// switch about every 200 moves and now and then a checkbox or another select. No console
// error, no page error, and bounded memory: the JS heap (after a forced GC) and the wasm
// linear memory are measured before and after, printed, and their growth must stay under
// SOAK_MAX_GROWTH_MB (32 MB, a generous bound).
//
// Moves are made in batches inside the page (value set, then an `input` event, as a drag does)
// and the page gets an animation frame between batches, so the app simulates and redraws
// throughout, as when a student drags quickly. Seeded: set SOAK_SEED to replay a run; SOAK_MOVES
// to change the count. Takes about a minute.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, closeAll, summaryText, settle } from './harness.mjs';

after(closeAll);

const MOVES = Number(process.env.SOAK_MOVES || 10000);
const SEED = Number(process.env.SOAK_SEED || 20261129);
const SWITCH_EVERY = 200;
const BATCH = 8; // moves between animation frames
const MAX_GROWTH_MB = Number(process.env.SOAK_MAX_GROWTH_MB || 32);
const MB = 1024 * 1024;

/** Run `count` random moves in the page (seeded), switching scheduler every SWITCH_EVERY. */
function run(page, from, count, seed) {
  return page.evaluate(async ({ from, count, seed, switchEvery, batch }) => {
    // Park–Miller, so a failing run can be replayed with the same seed.
    let s = (seed % 2147483646) + 1;
    for (let i = 0; i < from * 3; i++) s = (s * 16807) % 2147483647;
    const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
    const pick = (list) => list[Math.floor(rnd() * list.length)];
    const visible = (el) => !el.disabled && el.getClientRects().length > 0;
    const fire = (el, type) => el.dispatchEvent(new Event(type, { bubbles: true }));
    const stats = { slider: 0, scheduler: 0, select: 0, checkbox: 0, frames: 0 };
    for (let i = from; i < from + count; i++) {
      if (i % switchEvery === switchEvery - 1) {
        const sel = document.getElementById('p-scheduler');
        sel.value = pick([...sel.options].map((o) => o.value).filter((v) => v !== sel.value));
        fire(sel, 'change');
        stats.scheduler++;
      } else {
        const r = rnd();
        if (r < 0.02) {
          const boxes = [...document.querySelectorAll('input[type=checkbox]')].filter(visible);
          const el = pick(boxes);
          el.checked = !el.checked;
          fire(el, 'change');
          stats.checkbox++;
        } else if (r < 0.03) {
          const selects = [...document.querySelectorAll('.controls select, .playback select')]
            .filter((e) => visible(e) && e.id !== 'p-scheduler');
          const el = pick(selects);
          el.value = pick([...el.options].map((o) => o.value));
          fire(el, 'change');
          stats.select++;
        } else {
          const sliders = [...document.querySelectorAll('input[type=range]')].filter(visible);
          const el = pick(sliders);
          const min = Number(el.min || 0);
          const max = Number(el.max || 100);
          el.value = String(Math.round(min + rnd() * (max - min)));
          fire(el, 'input');
          if (rnd() < 0.1) fire(el, 'change'); // the end of a drag
          stats.slider++;
        }
      }
      if ((i + 1) % batch === 0) {
        await new Promise((r) => requestAnimationFrame(() => r()));
        stats.frames++;
      }
    }
    return stats;
  }, { from, count, seed, switchEvery: SWITCH_EVERY, batch: BATCH });
}

async function memory(page, cdp) {
  await settle(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const inPage = await page.evaluate(() => ({
    usedJSHeapSize: performance.memory ? performance.memory.usedJSHeapSize : null,
    wasm: window.__lrpWasm?.memory?.buffer?.byteLength ?? null,
    nodes: document.getElementsByTagName('*').length,
  }));
  return { heap: usedSize, ...inPage };
}

const fmt = (b) => (b == null ? 'n/a' : `${(b / MB).toFixed(1)} MB`);

test(`soak: ${MOVES} random slider moves with scheduler switches, no error, bounded memory`, { timeout: 300000 }, async () => {
  const app = await openApp('', {
    // The wasm instance's exports (with its memory), from boot.js's start event.
    beforeGoto: (page) => page.addInitScript(() => {
      addEventListener('TrunkApplicationStarted', (e) => { window.__lrpWasm = e.detail.wasm; });
    }),
  });
  const { page } = app;
  const cdp = await app.context.newCDPSession(page);
  await settle(page);
  // Warm up (every scheduler once, so first-use allocations are not counted as growth).
  const names = await page.$$eval('#p-scheduler option', (os) => os.map((o) => o.value));
  for (const n of names) await page.selectOption('#p-scheduler', n);
  await page.selectOption('#p-scheduler', 'StepLR');
  const before = await memory(page, cdp);
  assert.ok(before.wasm > 0, 'wasm memory is measurable');

  const t0 = Date.now();
  const totals = { slider: 0, scheduler: 0, select: 0, checkbox: 0, frames: 0 };
  const CHUNK = 1000;
  const wasmTrail = [];
  for (let from = 0; from < MOVES; from += CHUNK) {
    const stats = await run(page, from, Math.min(CHUNK, MOVES - from), SEED);
    for (const k of Object.keys(totals)) totals[k] += stats[k];
    assert.deepEqual(app.errors(), [], `errors after ${from + CHUNK} moves (seed ${SEED})`);
    wasmTrail.push(await page.evaluate(() => window.__lrpWasm.memory.buffer.byteLength));
  }
  const secs = (Date.now() - t0) / 1000;
  const afterMem = await memory(page, cdp);

  const growth = { heap: afterMem.heap - before.heap, wasm: afterMem.wasm - before.wasm };
  console.log(`# soak: ${MOVES} moves (${totals.slider} slider, ${totals.scheduler} scheduler switches, ` +
    `${totals.select} selects, ${totals.checkbox} checkboxes) in ${secs.toFixed(1)} s, ${totals.frames} frames, seed ${SEED}`);
  console.log(`# soak: JS heap ${fmt(before.heap)} -> ${fmt(afterMem.heap)} (performance.memory ` +
    `${fmt(before.usedJSHeapSize)} -> ${fmt(afterMem.usedJSHeapSize)}); wasm memory ${fmt(before.wasm)} -> ${fmt(afterMem.wasm)}; ` +
    `DOM elements ${before.nodes} -> ${afterMem.nodes}`);
  console.log(`# soak: wasm memory every ${CHUNK} moves: ${wasmTrail.map((b) => (b / MB).toFixed(1)).join(', ')} MB`);

  assert.ok(totals.scheduler >= Math.floor(MOVES / SWITCH_EVERY) - 1, 'schedulers were switched');
  assert.ok(growth.heap < MAX_GROWTH_MB * MB, `JS heap grew by ${fmt(growth.heap)}`);
  assert.ok(growth.wasm < MAX_GROWTH_MB * MB, `wasm memory grew by ${fmt(growth.wasm)}`);
  assert.ok(afterMem.nodes < before.nodes * 2 + 200, `DOM elements ${before.nodes} -> ${afterMem.nodes}`);

  // Still alive and coherent: a known set-up gives its known charts.
  await page.evaluate(() => { location.hash = 'scheduler=StepLR&step_size=30&gamma=0.1&lr=0.1&epochs=100'; });
  await settle(page);
  assert.equal(await summaryText(page, 'lr'), 'LR starts at 0.1, ends at 0.0001; drops after 30, 60, 90 epochs.');
  await app.screenshot('soak-end');
  assert.deepEqual(app.errors(), []);
  await app.close();
});
