// Robustness end-to-end tests (issue 8) on the release build: bad numbers typed into every
// numeric field, an lr so high that SGD overflows, ReduceLROnPlateau on a run that blows up,
// lr_lambda expressions that fail, and privacy/isolation of the tutorial article.
//
// What the user sees for every bad value is written to target/e2e-artifacts/bad-numbers.md
// (one row per field and value); screenshots land in target/e2e-artifacts/robust-*.png.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openApp, closeAll, canvasHash, summaryText, ARTIFACTS, CSP, settle, summaries, CHARTS } from './harness.mjs';

after(closeAll);

const field = (key) => `input.num[data-key="${key}"]`;
const BAD = ['NaN', 'inf', '-inf', '-1', '0', '1e308', '', 'abc'];
/** Never a valid number, whatever the field. */
const NEVER_VALID = new Set(['NaN', 'inf', '-inf', 'abc']);
/** Text that must not appear in what the charts say (summaries, readout, banners, playback). */
const NOT_A_NUMBER = /\bNaN\b|∞|Infinity|undefined/;

/** Everything the page says about the run: summaries, banners, readout, playback counter. */
function runText(page) {
  return page.evaluate(() => ['[data-summary-for]', '.banners', '.readout', '.scrub output']
    .flatMap((s) => [...document.querySelectorAll(s)].map((e) => e.textContent)).join('\n'));
}

async function fieldState(page, key) {
  return page.evaluate((k) => {
    const row = document.querySelector(`.param[data-key="${CSS.escape(k)}"]`);
    const input = row.querySelector('input.num, input.list, input.expr');
    return {
      error: row.querySelector('.field-error').textContent.trim(),
      invalid: input.getAttribute('aria-invalid'),
      shown: input.value,
      describedBy: input.getAttribute('aria-describedby'),
      errorId: row.querySelector('.field-error').id,
      defaultText: row.querySelector('.default')?.textContent.trim() ?? '',
    };
  }, key);
}

/** Pixels of `canvas` within `tol` of the CSS colour `cssVar` (read from :root). */
async function colourPixels(page, canvas, cssVar, tol = 40) {
  return page.evaluate(([sel, v, tol]) => {
    const probe = document.createElement('span');
    probe.style.color = `var(${v})`;
    document.body.append(probe);
    const [r, g, b] = getComputedStyle(probe).color.match(/\d+/g).map(Number);
    probe.remove();
    const c = document.querySelector(sel);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (Math.abs(d[i] - r) + Math.abs(d[i + 1] - g) + Math.abs(d[i + 2] - b) <= tol) n++;
    }
    return n;
  }, [canvas, cssVar, tol]);
}

/** Distinct colours on a canvas (a blank canvas has one). */
function colourCount(page, canvas) {
  return page.$eval(canvas, (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 16) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return seen.size;
  });
}

// ── bad numbers ──────────────────────────────────────────────────────────────────────────

/**
 * Type every bad value into every numeric field of the groups listed and check what the user
 * sees. Returns the rows of the report.
 */
async function sweep(app, label, groups) {
  const { page } = app;
  const rows = [];
  await settle(page);
  const keys = await page.$$eval('details.group', (gs, groups) => gs
    .filter((g) => groups.includes(g.dataset.group.split(':')[0]))
    .flatMap((g) => [...g.querySelectorAll('input.num[data-key], input.list[data-key]')].map((e) => e.dataset.key)), groups);
  assert.ok(keys.length > 0, `${label}: numeric fields in ${groups}`);
  for (const key of keys) {
    const original = await page.inputValue(`input[data-key="${key}"]:not([type=range])`);
    const initial = await summaries(page);
    // The last valid run: what a refused value must leave on the charts.
    let before = initial;
    let beforeHash = await canvasHash(page, '#lr-chart');
    const sel = `input[data-key="${key}"]:not([type=range])`;
    for (const v of BAD) {
      await page.fill(sel, v);
      await settle(page);
      const f = await fieldState(page, key);
      const text = await runText(page);
      const where = `${label} ${key}=${JSON.stringify(v)}`;
      assert.doesNotMatch(text, NOT_A_NUMBER, `${where}: ${text}`);
      assert.doesNotMatch(text, /Cannot run this configuration/, `${where}: an accepted value must run`);
      const optional = /\bNone\b/.test(f.defaultText);
      if (f.error) {
        // Rejected: the message is beside the field, linked to it, names the field and says
        // what is allowed; the typed text stays for fixing; the last valid run stays.
        assert.equal(f.invalid, 'true', `${where}: aria-invalid`);
        assert.equal(f.describedBy, f.errorId, `${where}: the input is described by its message`);
        // Named as `key`, or for a constraint between two fields (base_lr ≤ max_lr) by name.
        // A composite's child field s0.x is `schedulers[0].x`, as in PyTorch.
        const names = [key, key.split('.').pop(), key.replace(/(^|\.)s(\d+)\./g, '$1schedulers[$2].')];
        const esc = (k) => k.replace(/[[\].]/g, '\\$&');
        const named = names.some((k) => new RegExp(`(^|[^\\w.\\]])${esc(k)}([^\\w]|$)`).test(f.error));
        assert.ok(named, `${where}: message names the field: ${f.error}`);
        assert.match(f.error, /must be|must list|is empty; enter|at least|at most|between|greater than|less than|is missing/,
          `${where}: message says what is allowed: ${f.error}`);
        assert.ok(f.error.length <= 160, `${where}: a short message (${f.error.length} chars): ${f.error}`);
        assert.equal(f.shown, v, `${where}: the typed text stays in the field`);
        assert.deepEqual(await summaries(page), before, `${where}: summaries kept`);
        assert.equal(await canvasHash(page, '#lr-chart'), beforeHash, `${where}: lr chart kept`);
        rows.push([label, key, v, 'refused', f.error]);
      } else {
        assert.ok(!NEVER_VALID.has(v), `${where}: must be refused`);
        // An empty milestone list is a valid MultiStepLR (no drops); otherwise empty means None.
        const emptyList = key.endsWith('milestones') && label.startsWith('MultiStepLR');
        if (v === '') assert.ok(optional || emptyList, `${where}: empty is only accepted where PyTorch's default is None`);
        assert.notEqual(f.invalid, 'true', `${where}`);
        const banner = (await page.locator('.banners').innerText()).trim();
        if (banner) assert.match(banner, /^Training (diverged at epoch \d+|stopped after epoch \d+)/, `${where}: ${banner}`);
        rows.push([label, key, v, 'accepted', banner || (await summaryText(page, 'lr'))]);
        before = await summaries(page);
        beforeHash = await canvasHash(page, '#lr-chart');
      }
    }
    // Back to the original value: the run it had comes back.
    await page.fill(sel, original);
    await settle(page);
    assert.equal((await fieldState(page, key)).error, '', `${label} ${key}: error cleared`);
    assert.deepEqual(await summaries(page), initial, `${label} ${key}: restored`);
  }
  return rows;
}

test('bad numbers in every numeric field: a clear message beside it, or accepted; the last valid run stays', async () => {
  const rows = [];
  const runs = [
    // Scheduler, optimizer, logistic problem and training fields once, on StepLR.
    ['StepLR (logistic)', '#scheduler=StepLR&step_size=30&gamma=0.1&lr=0.1&epochs=60', ['Scheduler', 'Optimizer', 'Problem', 'Training']],
    // The quadratic bowl's own fields.
    ['StepLR (quadratic)', '#scheduler=StepLR&problem=quadratic&lr=0.1&epochs=60', ['Problem']],
    // The schedulers with the most numbers, and an integer list.
    ['CyclicLR', '#scheduler=CyclicLR&epochs=40', ['Scheduler']],
    ['OneCycleLR', '#scheduler=OneCycleLR&epochs=40', ['Scheduler']],
    ['ReduceLROnPlateau', '#scheduler=ReduceLROnPlateau&epochs=60', ['Scheduler']],
    ['MultiStepLR', '#scheduler=MultiStepLR&epochs=60', ['Scheduler']],
    ['SequentialLR', '#scheduler=SequentialLR&epochs=60', ['Scheduler']],
  ];
  const app = await openApp();
  const { page } = app;
  for (const [label, hash, groups] of runs) {
    await page.evaluate((h) => { location.hash = h; }, hash);
    await settle(page);
    rows.push(...await sweep(app, label, groups));
    if (label === 'CyclicLR') {
      await page.fill(field('max_lr'), '1e308'); // accepted, diverges
      await page.fill(field('gamma'), '1e308'); // refused: message with a huge number, kept short
      await settle(page);
      await app.screenshot('robust-bad-number');
      await page.evaluate((h) => { location.hash = h; }, hash);
      await settle(page);
    }
  }
  const refused = rows.filter((r) => r[3] === 'refused').length;
  assert.ok(refused > 250, `${refused} refusals`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const md = ['| set-up | field | typed | result | what the user sees |', '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r[0]} | \`${r[1]}\` | \`${r[2] || '(empty)'}\` | ${r[3]} | ${r[4].replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`)];
  writeFileSync(path.join(ARTIFACTS, 'bad-numbers.md'), md.join('\n') + '\n');
  console.log(`# bad numbers: ${rows.length} cases, ${refused} refused with a message, ${rows.length - refused} accepted (target/e2e-artifacts/bad-numbers.md)`);
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('the shown error text is what the app checks: a field refused while the rest stays editable', async () => {
  // Two fields wrong at once: each keeps its own message; fixing one leaves the other.
  const app = await openApp('#scheduler=StepLR&lr=0.1&epochs=60');
  const { page } = app;
  await settle(page);
  const before = await summaries(page);
  await page.fill(field('gamma'), 'abc');
  await page.fill(field('lr'), '-1');
  await settle(page);
  assert.match((await fieldState(page, 'gamma')).error, /`gamma` must be a number/);
  assert.match((await fieldState(page, 'lr')).error, /`lr` must be 0 or more, got -1/);
  assert.deepEqual(await summaries(page), before);
  await page.fill(field('gamma'), '0.5');
  await settle(page);
  assert.equal((await fieldState(page, 'gamma')).error, '');
  assert.match((await fieldState(page, 'lr')).error, /`lr` must be 0 or more/);
  // 60 epochs: the drop scheduled at epoch 60 never reaches training, so only 30 is listed.
  assert.match(await summaryText(page, 'lr'), /^LR starts at 0\.1, ends at 0\.05; drops after 30 epochs\.$/,
    'gamma applied while lr is still wrong');
  // The URL only ever holds the last valid set-up.
  assert.match(await page.evaluate(() => location.hash), /lr=0\.1(&|$)/);
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('↺ clears a refused text even when the run is already at the default', async () => {
  const app = await openApp('#scheduler=StepLR');
  const { page } = app;
  await settle(page);
  const reset = page.locator('.param[data-key="gamma"] button.reset');
  assert.equal(await reset.isDisabled(), true, 'gamma is at its default 0.1');
  await page.fill(field('gamma'), '-2');
  await settle(page);
  assert.match((await fieldState(page, 'gamma')).error, /`gamma`/);
  assert.equal(await reset.isDisabled(), false, 'the field shows -2: there is something to reset');
  await reset.click();
  await settle(page);
  assert.equal((await fieldState(page, 'gamma')).error, '');
  assert.equal(await page.inputValue(field('gamma')), '0.1');
  assert.equal(await reset.isDisabled(), true);
  assert.deepEqual(app.errors(), []);
  await app.close();
});

// ── divergence ───────────────────────────────────────────────────────────────────────────

test('an lr so high that SGD overflows: divergence banner, a marker, charts still drawn, no NaN', async () => {
  const app = await openApp('#scheduler=StepLR&step_size=30&gamma=0.1&problem=quadratic&lr=0.1&epochs=60');
  const { page } = app;
  await settle(page);
  assert.equal(await colourPixels(page, '#loss-chart', '--c-danger'), 0, 'no marker before');
  for (const [lr, epoch, finished] of [['1e6', 1, false], ['3', 11, true], ['1e308', 1, false]]) {
    await page.fill(field('lr'), lr); // typed: the slider stops at 10
    await settle(page);
    assert.equal((await fieldState(page, 'lr')).error, '', `lr=${lr} is a valid number`);
    const banner = await page.locator('.banner.danger[role=alert]').innerText();
    assert.match(banner, new RegExp(`^Training diverged at epoch ${epoch} — the learning rate was ${lr === '3' ? '3' : lr}, ` +
      'above this bowl\'s stability limit 2/λmax = 2\\. Lower lr'), banner);
    const s = await summaries(page);
    assert.match(s.loss, new RegExp(`^Diverged at epoch ${epoch}: loss exceeded 1e6× its start\\.`), s.loss);
    assert.match(s.params, /the path left the bowl \(diverged\)\.$/, s.params);
    if (finished) {
      assert.match(s.lr, /^LR stays at 3 for the whole run\./, s.lr);
      assert.match(s.loss, /after 10 epochs\.$/, s.loss);
      assert.ok(await colourPixels(page, '#lr-chart', '--c-lr') > 50, 'the LR curve up to the divergence');
      assert.ok(await colourPixels(page, '#loss-chart', '--c-train') > 50, 'the loss curve up to the divergence');
    } else {
      assert.match(s.lr, /^Training diverged at epoch 1 before the first epoch finished\.$/, s.lr);
      assert.match(s.loss, /No epoch finished\.$/, s.loss);
    }
    // The marker: a vertical danger-coloured line at the divergence epoch on the loss chart.
    const h = await page.$eval('#loss-chart', (c) => c.height);
    assert.ok(await colourPixels(page, '#loss-chart', '--c-danger') > h / 3, `lr=${lr}: divergence marker drawn`);
    for (const c of CHARTS) assert.ok(await colourCount(page, `#${c}-chart`) > 20, `lr=${lr}: ${c} chart not blank`);
    // Even a path that ends ~1e308 away is summarised with numbers (no ∞, no NaN).
    assert.doesNotMatch(await runText(page), NOT_A_NUMBER);
    if (lr === '1e6') await app.screenshot('robust-diverged');
  }
  // A scheduler that raises the lr past the limit is named as the cause.
  await page.fill(field('lr'), '0.1');
  await page.fill(field('gamma'), '100');
  await settle(page);
  assert.match(await page.locator('.banner.danger').innerText(),
    /^Training diverged at epoch 3\d — the scheduler raised the learning rate to 10 \(it starts at 0\.1\), above this bowl's stability limit 2\/λmax = 2\. Lower the schedule's peak/);
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('weight_decay that overshoots on its own is named as the cause', async () => {
  const app = await openApp('#scheduler=StepLR&lr=0.1&epochs=30');
  const { page } = app;
  await page.fill(field('weight_decay'), '1e308');
  await settle(page);
  assert.match(await page.locator('.banner.danger').innerText(),
    /^Training diverged at epoch 1 — weight_decay 1e308 is too strong for a learning rate of 0\.1/);
  assert.doesNotMatch(await runText(page), NOT_A_NUMBER);
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('ReduceLROnPlateau on a run that blows up: the metric never reaches it as NaN', async () => {
  for (const [hash, lr, epoch] of [
    ['#scheduler=ReduceLROnPlateau&problem=quadratic&epochs=50', '5', 6],
    ['#scheduler=ReduceLROnPlateau&problem=logistic&momentum=0.9&epochs=50', '1e308', 1],
  ]) {
    const app = await openApp(hash);
    const { page } = app;
    await settle(page);
    await page.fill(field('lr'), lr);
    await settle(page);
    assert.match(await page.locator('.banner.danger').innerText(), new RegExp(`^Training diverged at epoch ${epoch} — `));
    const s = await summaries(page);
    assert.match(s.loss, new RegExp(`^Diverged at epoch ${epoch}:`));
    assert.match(s.lr, epoch > 1 ? /never reduced\.$/ : /before the first epoch finished\.$/, s.lr);
    const readout = await page.locator('.readout').innerText();
    if (epoch > 1) {
      // The plateau counters at the last finished epoch are plain numbers.
      assert.match(readout, /BEST\s+\d/i);
      assert.match(readout, /BAD EPOCHS\s+\d/i);
    } else {
      assert.match(readout, /none finished/);
    }
    assert.doesNotMatch(await runText(page), NOT_A_NUMBER);
    // The playback still works on what was computed.
    await page.click('.playback .play');
    await page.waitForFunction(() => document.querySelector('.playback .play').getAttribute('aria-pressed') === 'false', null, { timeout: 5000 });
    assert.doesNotMatch(await runText(page), NOT_A_NUMBER);
    if (epoch > 1) await app.screenshot('robust-plateau-diverged');
    assert.deepEqual(app.errors(), []);
    await app.close();
  }
});

// ── lr_lambda that fails ─────────────────────────────────────────────────────────────────

test('an lr_lambda that fails at some epoch stops the run there with a notice', async () => {
  const app = await openApp('#scheduler=LambdaLR&lr=0.1&epochs=30');
  const { page } = app;
  await settle(page);
  for (const [expr, n, why] of [
    ['1/(10-epoch)', 10, 'division by zero'],
    ['sqrt(5-epoch)', 6, 'math domain error: sqrt of a negative number'],
    ['log(5-epoch)', 5, 'math domain error: log of zero or a negative number'],
  ]) {
    await page.fill('#p-lr_lambda', expr);
    await settle(page);
    assert.equal((await fieldState(page, 'lr_lambda')).error, '', `${expr} is a valid expression`);
    const notice = await page.locator('.banner.notice[role=status]').innerText();
    assert.equal(notice.trim(), `Training stopped after epoch ${n}: lr_lambda failed at epoch ${n}: ${why}`);
    const loss = await summaryText(page, 'loss');
    assert.match(loss, new RegExp(`after ${n} epochs?;.*stopped early after epoch ${n} \\(the scheduler refused to step\\)\\.$`), loss);
    assert.equal(await page.locator('.scrub output').innerText(), `${n} / ${n}`);
    assert.ok(await colourPixels(page, '#lr-chart', '--c-lr') > 50, `${expr}: the LR up to the failure is drawn`);
    assert.doesNotMatch(await runText(page), NOT_A_NUMBER);
    if (n === 10) await app.screenshot('robust-lambda-halted');
  }
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('an lr_lambda that cannot even start is refused beside the field; the last run stays', async () => {
  const app = await openApp('#scheduler=LambdaLR&lr=0.1&epochs=30');
  const { page } = app;
  await settle(page);
  const before = await summaries(page);
  const hash = await canvasHash(page, '#lr-chart');
  for (const [expr, msg] of [
    ['0/0', /^LambdaLR: lr_lambda failed at epoch 0: division by zero$/],
    ['(-1)**0.5', /^LambdaLR: lr_lambda failed at epoch 0: a negative number cannot be raised to a fractional power/],
    ['1e308*1e308', /^LambdaLR: lr_lambda failed at epoch 0: the value overflowed/],
    ['-1', /^LambdaLR: lr_lambda gave -1 at epoch 0; the factor must be a finite number ≥ 0$/],
    ['0.95 **', /column 8/],
  ]) {
    await page.fill('#p-lr_lambda', expr);
    await settle(page);
    const f = await fieldState(page, 'lr_lambda');
    assert.match(f.error, msg, expr);
    assert.equal(f.invalid, 'true');
    assert.equal(await page.locator('.banners').innerText(), '', `${expr}: no banner, the run is unchanged`);
    assert.deepEqual(await summaries(page), before, `${expr}: summaries kept`);
    assert.equal(await canvasHash(page, '#lr-chart'), hash, `${expr}: chart kept`);
  }
  await app.screenshot('robust-lambda-refused');
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('a link whose lr_lambda cannot start: the field is dropped with a notice, the rest of the link is kept', async () => {
  const app = await openApp('#scheduler=LambdaLR&lr_lambda=0/0&lr=0.2&epochs=30');
  const { page } = app;
  await settle(page);
  const notice = (await page.locator('.link-notice[role=status]').innerText()).trim();
  assert.match(notice, /lr_lambda=0\/0/);
  assert.match(notice, /division by zero/);
  assert.equal(await page.locator('.banners').innerText(), '');
  // The rest of the link (lr, epochs) is kept and the default expression runs.
  assert.equal(await page.inputValue('#p-lr_lambda'), '0.95 ** epoch');
  assert.match(await summaryText(page, 'lr'), /^LR starts at 0\.2, ends at /);
  assert.doesNotMatch(await runText(page), NOT_A_NUMBER);
  assert.deepEqual(app.errors(), []);
  await app.close();
});

// ── privacy and isolation ────────────────────────────────────────────────────────────────

test('the article under the strict CSP: every embed starts, nothing leaves the origin', async () => {
  let cspHeader = null;
  const app = await openApp('', {
    csp: true,
    waitForMount: false,
    viewport: { width: 1100, height: 900 },
    beforeGoto: (page) => page.on('response', (r) => {
      if (r.request().resourceType() === 'document' && !cspHeader) cspHeader = r.headers()['content-security-policy'];
    }),
  });
  const { page } = app;
  await page.goto(`${app.origin}/article.html`, { waitUntil: 'load' });
  assert.equal(cspHeader, CSP);
  const frames = page.locator('iframe.lr-playground');
  const n = await frames.count();
  assert.ok(n >= 6, `${n} embeds`);
  for (let i = 0; i < n; i++) {
    const el = frames.nth(i);
    await el.scrollIntoViewIfNeeded();
    const frame = await (await el.elementHandle()).contentFrame();
    await frame.waitForFunction(
      () => document.documentElement.dataset.lrpState === 'started' && !document.getElementById('loading'),
      null, { timeout: 20000 });
    // Drag something inside the embed too: interaction must not reach out either.
    const slider = frame.locator('input[type=range].slider').first();
    if (await slider.count()) {
      await slider.focus();
      await slider.press('ArrowRight');
    }
  }
  await page.waitForTimeout(300);
  const docs = app.requests.filter((r) => r.resourceType === 'document').length;
  assert.ok(docs >= n + 1, `the article and its ${n} frames were requested (${docs})`);
  assert.ok(app.requests.filter((r) => r.url.endsWith('.wasm')).length >= 1);
  assert.deepEqual(app.externalRequests(), [], 'no request beyond the site\'s own assets');
  for (const r of app.requests) {
    assert.equal(new URL(r.url).origin, app.origin, r.url);
    assert.equal(r.method, 'GET', `${r.method} ${r.url}`);
  }
  assert.deepEqual(app.errors(), [], 'no CSP violation or other error in the article or its embeds');
  await app.close();
});

test('the app under the strict CSP makes no request beyond its own assets while used', async () => {
  const app = await openApp('#scheduler=OneCycleLR', { csp: true, contextOptions: { permissions: ['clipboard-read', 'clipboard-write'] } });
  const { page } = app;
  await settle(page);
  const loaded = app.requests.length;
  // Use everything that could plausibly talk to a server: presets, copy, export, present.
  await page.selectOption('#preset', 'plateau');
  await page.click('button.copy-link');
  await page.click('button.copy');
  const dl = page.waitForEvent('download');
  await page.click('button.download-csv');
  await (await dl).path();
  await page.click('button.present-toggle');
  await page.keyboard.press('p');
  await settle(page);
  assert.deepEqual(app.externalRequests(), []);
  // After loading, at most a static file of its own (the browser may fetch the favicon):
  // no fetch, XHR, beacon, socket or anything the app sends data with.
  const later = app.requests.slice(loaded).filter((r) => !/^(data|blob):/.test(r.url));
  for (const r of later) {
    assert.equal(r.method, 'GET', `${r.method} ${r.url}`);
    assert.ok(!['fetch', 'xhr', 'websocket', 'eventsource', 'ping'].includes(r.resourceType), `${r.resourceType} ${r.url}`);
    if (r.resourceType === 'other') assert.match(new URL(r.url).pathname, /\/favicon\.svg$/, r.url);
    assert.equal(new URL(r.url).search, '', `nothing sent in a query string: ${r.url}`);
  }
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('the article on a server without the CORS header: each embed that cannot start says why; no sideways scroll on a phone', async () => {
  // python3 -m http.server sends no Access-Control-Allow-Origin: the sandboxed (opaque-origin)
  // embeds cannot load the app's files, and the article (assets/article.js) must say so.
  const app = await openApp('', { server: 'python', waitForMount: false, viewport: { width: 390, height: 844 } });
  const { page } = app;
  await page.goto(`${app.origin}/article.html`, { waitUntil: 'load' });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390, 'the page fits a phone');
  const first = page.locator('.embed').first();
  await first.locator('.lrp-note').waitFor({ timeout: 30000 }); // shown 15 s after the frame loads
  const note = first.locator('.lrp-note');
  assert.equal(await note.getAttribute('role'), 'status');
  assert.match(await note.innerText(), /has not started[\s\S]*Access-Control-Allow-Origin: \*/);
  const href = await note.locator('a').getAttribute('href');
  assert.ok(!/[#&](embed|show|controls)=/.test(href), `the link opens the full app: ${href}`);
  assert.match(href, /scheduler=None/);
  assert.equal(await first.locator('iframe').getAttribute('aria-describedby'), await note.getAttribute('id'));
  await app.screenshot('robust-article-no-cors-phone');
  await app.close();
});
