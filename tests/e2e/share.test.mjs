// End-to-end tests of sharing, embedding and teaching (issue 6) on the release build (dist/):
// links that reproduce a set-up, the tutorial article's embedded playgrounds, hostile links,
// classroom mode and its keyboard shortcuts, CSV and PNG export.
// Screenshots land in target/e2e-artifacts/share-*.png.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openApp, closeAll, dragSlider, canvasHash, summaryText, ROOT, settle, summaries, CHARTS, slider, field, pinEach } from './harness.mjs';

after(closeAll);

const DEFAULT_LR_SUMMARY = 'LR starts at 0.1, ends at 0.0001; drops after 30, 60, 90 epochs.';

async function hashes(page) {
  const out = {};
  for (const c of CHARTS) out[c] = await canvasHash(page, `#${c}-chart`);
  return out;
}

/** The app's `fmt_num` (src/ui/summary.rs), to compare CSV numbers with the summaries. */
function fmtNum(v) {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '∞' : '-∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (!(a >= 1e-4 && a < 1e6)) {
    const [m, e] = v.toExponential(2).split('e');
    return `${m.replace(/0+$/, '').replace(/\.$/, '')}e${e.replace('+', '')}`;
  }
  const digits = Math.min(8, Math.max(0, 3 - Math.floor(Math.log10(a))));
  const s = v.toFixed(digits);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

const pressed = (page, sel) => page.getAttribute(sel, 'aria-pressed');
const scrubText = (page) => page.locator('.scrub output').innerText();

// ── links ────────────────────────────────────────────────────────────────────────────────

test('a link opened in a fresh page reproduces the same charts', async () => {
  const app = await openApp('', { contextOptions: { permissions: ['clipboard-read', 'clipboard-write'] } });
  const { page } = app;
  await settle(page);
  // Non-default values, set the way a student would.
  await page.selectOption('#p-scheduler', 'CosineAnnealingLR');
  await settle(page);
  await dragSlider(page, slider('T_max'), 40);
  await page.fill(field('lr'), '0.3');
  await page.fill(field('momentum'), '0.9');
  await page.fill(field('epochs'), '80');
  await page.check('#log-loss');
  await page.check('#log-lr');
  await page.locator('body').click({ position: { x: 5, y: 5 } }); // commit the fields (change)
  await settle(page);
  const hash = await page.evaluate(() => location.hash);
  for (const part of ['scheduler=CosineAnnealingLR', 'T_max=40', 'lr=0.3', 'momentum=0.9', 'epochs=80', 'log=1', 'log_lr=1']) {
    assert.ok(hash.includes(part), `${part} in ${hash}`);
  }
  const want = await summaries(page);
  assert.match(want.lr, /^LR starts at 0\.3/);
  assert.match(want.loss, /after 80 epochs/);
  const wantPixels = await hashes(page);

  // "Copy link" copies exactly the page's URL.
  await page.click('button.copy-link');
  await page.waitForFunction(() => document.querySelector('button.copy-link').textContent.includes('Copied'));
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, page.url());
  assert.ok(copied.endsWith(hash), `${copied} ends with ${hash}`);

  const fresh = await openApp(hash);
  await settle(fresh.page);
  assert.deepEqual(await summaries(fresh.page), want, 'summaries equal');
  assert.deepEqual(await hashes(fresh.page), wantPixels, 'charts drawn identically');
  assert.equal(await fresh.page.inputValue(field('T_max')), '40');
  assert.equal(await fresh.page.isChecked('#log-loss'), true);
  assert.equal(await fresh.page.isChecked('#log-lr'), true);
  assert.equal(await fresh.page.evaluate(() => location.hash), hash, 'the link is stable');
  await fresh.screenshot('share-link-reopened');
  assert.deepEqual(app.errors(), []);
  assert.deepEqual(fresh.errors(), []);
  await app.close();
  await fresh.close();
});

test('pinned runs are in the link: a shared comparison opens with the same pins, labels and ghosts', async () => {
  const app = await openApp('#scheduler=MultiStepLR&milestones=30,80&gamma=0.1&lr=0.1&epochs=100',
    { contextOptions: { permissions: ['clipboard-read', 'clipboard-write'] } });
  const { page } = app;
  await settle(page);
  await pinEach(page, 'gamma', ['0.5']);
  await page.fill(field('gamma'), '0.3');
  await settle(page);
  await page.waitForFunction(() => (location.hash.match(/&pin=/g) || []).length === 2);
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /&pin=scheduler%3DMultiStepLR%26milestones%3D30,80%26gamma%3D0\.1%26/);
  await page.click('button.copy-link');
  await page.waitForFunction(() => document.querySelector('button.copy-link').textContent.includes('Copied'));
  assert.ok((await page.evaluate(() => navigator.clipboard.readText())).endsWith(hash), 'Copy link has the pins');
  const labels = await page.locator('.pins li .pin-label').allInnerTexts();
  const want = await summaries(page);
  const wantPixels = await hashes(page);

  const fresh = await openApp(hash);
  await settle(fresh.page);
  assert.deepEqual(await fresh.page.locator('.pins li .pin-label').allInnerTexts(), labels);
  assert.equal(await fresh.page.locator('figure[data-chart=lr] .legend li.ghost').count(), 2);
  assert.deepEqual(await summaries(fresh.page), want);
  assert.deepEqual(await hashes(fresh.page), wantPixels, 'the same charts, ghosts included');
  assert.equal(await fresh.page.locator('.link-notice').count(), 0);
  // Unpinning one rewrites the link.
  await fresh.page.click('.pins li >> nth=0 >> button.unpin');
  await fresh.page.waitForFunction(() => (location.hash.match(/&pin=/g) || []).length === 1);
  assert.deepEqual([...app.errors(), ...fresh.errors()], []);
  await app.close();
  await fresh.close();
});

test('pinned runs that would make the link too long are left out of it, and the page says so', async () => {
  const lambda = `1${' '.repeat(980)}* 0.95 ** epoch`;
  const app = await openApp(`#scheduler=LambdaLR&lr_lambda=${encodeURIComponent(lambda)}&lr=0.1`);
  const { page } = app;
  await settle(page);
  await pinEach(page, 'lr', ['0.2']);
  await page.fill(field('lr'), '0.3');
  await settle(page);
  const banner = page.locator('.link-too-long');
  await banner.waitFor();
  assert.match(await banner.innerText(), /^The link leaves out pinned runs\. 1 pinned run is not in it: with them it would be longer than the 8,192 characters/);
  const hash = await page.evaluate(() => location.hash);
  assert.ok(hash.length <= 8193, `${hash.length}`);
  assert.equal((hash.match(/&pin=/g) || []).length, 1);
  // What the link has opens as it is: one pin, no notice.
  const fresh = await openApp(hash);
  await settle(fresh.page);
  assert.equal(await fresh.page.locator('.pins li').count(), 1);
  assert.equal(await fresh.page.locator('.link-notice').count(), 0);
  await page.click('.pins li >> nth=1 >> button.unpin');
  await banner.waitFor({ state: 'detached' });
  assert.deepEqual([...app.errors(), ...fresh.errors()], []);
  await app.close();
  await fresh.close();
});

test('a composite scheduler with an lr_lambda expression survives the link', async () => {
  const app = await openApp();
  const { page } = app;
  await page.selectOption('#p-scheduler', 'SequentialLR');
  await settle(page);
  await page.selectOption('#p-s1', 'LambdaLR');
  await settle(page);
  await page.fill('#p-s1-lr_lambda', '0.97 ** epoch if epoch < 40 else 0.2');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await settle(page);
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /s1=LambdaLR/);
  assert.match(hash, /s1\.lr_lambda=/);
  const want = await summaries(page);
  const fresh = await openApp(hash);
  await settle(fresh.page);
  assert.deepEqual(await summaries(fresh.page), want);
  assert.equal(await fresh.page.inputValue('#p-s1-lr_lambda'), '0.97 ** epoch if epoch < 40 else 0.2');
  assert.equal(await fresh.page.locator('.link-notice').count(), 0, 'no notice for a good link');
  assert.deepEqual([...app.errors(), ...fresh.errors()], []);
  await app.close();
  await fresh.close();
});

test('a set-up too long for a link says so before it is shared, and keeps everything on screen', async () => {
  // Three LambdaLR children with 999-character expressions, mostly spaces (each one is %20,
  // 3 characters, in a link), so the page's link is ~9,000 characters.
  const children = [0, 1, 2];
  const app = await openApp(
    `#scheduler=SequentialLR&${children.map((i) => `s${i}=LambdaLR`).join('&')}&milestones=10,20`,
  );
  const { page } = app;
  await settle(page);
  const long = `0.5${' '.repeat(993)}* 1`;
  assert.equal(long.length, 999);
  for (const i of children) {
    await page.fill(`#p-s${i}-lr_lambda`, long);
    await settle(page);
  }
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  const banner = page.locator('.link-too-long[role=status]');
  await banner.waitFor({ state: 'visible', timeout: 5000 });
  const text = await banner.innerText();
  assert.match(text, /too long for a link/);
  assert.match(text, /links keep only the first 8,192/);
  assert.match(text, /Its link is \d{1,3},\d{3} characters/);
  // Nothing is lost on screen: the expressions are still there and in the run.
  for (const i of children) assert.equal(await page.inputValue(`#p-s${i}-lr_lambda`), long);
  assert.equal(await page.locator('.field-error:not(:empty)').count(), 0);
  assert.match(await summaryText(page, 'lr'), /LR (starts|stays) at 0\.05/);
  await app.screenshot('share-link-too-long');
  // Shortening one expression brings the link back under the limit: the banner goes.
  await page.fill('#p-s2-lr_lambda', '0.5');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await banner.waitFor({ state: 'detached', timeout: 5000 });
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('a hostile fragment shows a notice listing the ignored fields and the default charts', async () => {
  const defaults = await openApp();
  await settle(defaults.page);
  const want = await summaries(defaults.page);
  await defaults.close();

  const app = await openApp('#scheduler=Nope&gamma=-1&lr=abc&%ZZ&embed=1&show=zzz');
  const { page } = app;
  await settle(page);
  const notice = page.locator('.link-notice[role=status]');
  assert.equal(await notice.isVisible(), true);
  const text = await notice.innerText();
  for (const bad of ['scheduler=Nope', 'gamma=-1', 'lr=abc', '%ZZ', 'show=zzz']) {
    assert.ok(text.includes(bad), `notice names ${bad}: ${text}`);
  }
  assert.match(text, /5 settings in the link were ignored/);
  assert.match(text, /must be greater than 0/, 'says why');
  assert.equal(await page.locator('.link-notice li').count(), 5);
  // Default charts, all three (the unknown `show` does not empty the page).
  assert.deepEqual(await summaries(page), want);
  for (const c of CHARTS) assert.equal(await page.locator(`#${c}-chart`).isVisible(), true, c);
  assert.equal(await page.locator('header.topbar').isVisible(), false, 'still in embed mode');
  // The URL now says what is shown.
  const hash = await page.evaluate(() => location.hash);
  assert.ok(!/Nope|abc|zzz|%ZZ/.test(hash), hash);
  await app.screenshot('share-hostile');
  await page.click('.link-notice button');
  assert.equal(await page.locator('.link-notice').count(), 0, 'dismissed');
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('markup, huge and truncated fragments are shown as text and never break the page', async () => {
  const long = 'lr=0.1&' + 'x'.repeat(9000);
  const cases = [
    '#scheduler=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&lr=%22%3E%3Cb%3Ehi&controls=%3Cscript%3E',
    `#${long}`,
    '#scheduler=StepLR&step_size=3',
    '#scheduler=SequentialLR&s0=LinearLR&s0.total_iters=5&s1=Cosi',
    '#%E0%A4%A&&&==&=1&embed=yes&show=,,,&log=maybe',
  ];
  for (const hash of cases) {
    const app = await openApp(hash);
    const { page } = app;
    await settle(page);
    for (const c of CHARTS) {
      const s = await summaryText(page, c);
      assert.ok(s && s.length > 10, `${hash.slice(0, 40)}: ${c} summary ${s}`);
    }
    assert.equal(await page.locator('main img, .link-notice b, .link-notice script').count(), 0, 'no injected markup');
    assert.deepEqual(app.errors(), [], hash.slice(0, 60));
    await app.close();
  }
});

// ── embedding ────────────────────────────────────────────────────────────────────────────

test('the article page renders every embedded playground, sized by its height messages', async () => {
  const app = await openApp('', { waitForMount: false, viewport: { width: 1100, height: 900 } });
  const { page } = app;
  await page.goto(`${app.origin}/article.html`, { waitUntil: 'load' });
  const frames = page.locator('iframe.lr-playground');
  const n = await frames.count();
  assert.equal(n, 6, 'six playgrounds');
  for (let i = 0; i < n; i++) {
    const el = frames.nth(i);
    const sandbox = (await el.getAttribute('sandbox')).split(/\s+/);
    assert.ok(sandbox.includes('allow-scripts') && !sandbox.includes('allow-same-origin'), `sandboxed: ${sandbox}`);
    await el.scrollIntoViewIfNeeded(); // loading=lazy
    const frame = await (await el.elementHandle()).contentFrame();
    await frame.waitForFunction(
      () => document.documentElement.dataset.lrpState === 'started' && !document.getElementById('loading'),
      null, { timeout: 20000 });
    await frame.waitForSelector('.app.embed');
    const shown = await frame.$$eval('[data-summary-for]', (els) => els.map((e) => [e.dataset.summaryFor, e.textContent.trim()]));
    // Every chart its link's show= names (all three without it), each with its summary.
    const show = new URLSearchParams((await el.getAttribute('src')).split('#')[1]).get('show');
    const charts = show ? show.split(',').filter((c) => ['lr', 'loss', 'params'].includes(c)) : ['lr', 'loss', 'params'];
    assert.deepEqual(shown.map(([name]) => name).sort(), [...charts].sort(), `frame ${i}: ${JSON.stringify(shown)}`);
    for (const [name, s] of shown) assert.ok(s.length > 10 && !/Cannot run/.test(s), `frame ${i} ${name}: ${s}`);
    assert.equal(await frame.locator('.link-notice').count(), 0, `frame ${i}: its link has no ignored settings`);
    await page.waitForFunction((f) => f.dataset.sized === 'true', await el.elementHandle(), { timeout: 10000 });
    // Sized to the content: the frame shows everything without an inner scrollbar.
    const inner = () => frame.evaluate(() => ({ sh: document.scrollingElement.scrollHeight, ch: innerHeight, sw: document.scrollingElement.scrollWidth, cw: innerWidth }));
    let fit = await inner();
    for (let t = 0; t < 50 && Math.abs(fit.sh - fit.ch) > 2; t++) {
      await page.waitForTimeout(100); // the last height message may still be on its way
      fit = await inner();
    }
    assert.ok(Math.abs(fit.sh - fit.ch) <= 2, `frame ${i}: content ${fit.sh}px in a ${fit.ch}px frame`);
    assert.ok(fit.sw <= fit.cw, `frame ${i}: no sideways scroll (${fit.sw} > ${fit.cw})`);
    const css = await el.evaluate((f) => f.style.height);
    assert.match(css, /^\d+px$/);
    assert.notEqual(css, '560px', `frame ${i} resized from the default`);
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await app.screenshot('share-article');
  assert.deepEqual(app.externalRequests(), []);
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('on a 1366×768 laptop the article’s first playground fits the screen: its sliders beside each other above the path', async () => {
  const app = await openApp('', { waitForMount: false, viewport: { width: 1366, height: 768 } });
  const { page } = app;
  await page.goto(`${app.origin}/article.html`, { waitUntil: 'load' });
  const el = page.locator('iframe.lr-playground').first();
  await el.scrollIntoViewIfNeeded();
  const frame = await (await el.elementHandle()).contentFrame();
  await frame.waitForSelector('.app.embed figure[data-chart=params]');
  await page.waitForFunction((f) => f.dataset.sized === 'true', await el.elementHandle(), { timeout: 10000 });
  await page.waitForTimeout(300); // the last height message
  const h = (await el.boundingBox()).height;
  assert.ok(h <= 740, `the first playground is ${h}px tall on a 768px screen`);
  const groups = await frame.$$eval('.controls > details.group:not([hidden])', (gs) => gs.map((g) => Math.round(g.getBoundingClientRect().top)));
  assert.equal(groups.length, 2);
  assert.equal(groups[0], groups[1], 'the optimizer and problem groups share a row');
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('embeds fit their frame from 320 to 1100 px and link to the full playground', async () => {
  const hash = '#embed=1&show=lr,loss&controls=s0.total_iters,s1.T_max,milestones&scheduler=SequentialLR&s0=LinearLR' +
    '&s0.start_factor=0.1&s0.total_iters=5&s1=CosineAnnealingLR&s1.T_max=95&milestones=5&lr=0.5&momentum=0.9&epochs=100';
  for (const width of [320, 400, 600, 760, 900, 1100]) {
    const app = await openApp(hash, { viewport: { width, height: 700 } });
    const { page } = app;
    await settle(page);
    const sw = await page.evaluate(() => document.scrollingElement.scrollWidth);
    assert.ok(sw <= width, `${width}px: page is ${sw}px wide`);
    const wide = await page.$$eval('.app *', (els, w) => els.filter((e) => e.getBoundingClientRect().right > w + 0.5)
      .map((e) => e.className || e.tagName), width);
    assert.deepEqual(wide, [], `${width}px: nothing sticks out`);
    assert.equal(await page.locator('.controls [data-key]').first().isVisible(), true);
    if (width === 1100) {
      // Without the children's own rows, each child's parameter names its scheduler.
      const seen = await page.$$eval('.controls .param-head label', (ls) => ls.map((l) => [...l.childNodes]
        .filter((n) => !n.classList?.contains('sr-only')).map((n) => n.textContent).join('').trim()));
      assert.deepEqual(seen, ['LinearLR total_iters', 'CosineAnnealingLR T_max', 'milestones']);
    }
    if (width === 320 || width === 1100) await app.screenshot(`share-embed-${width}`);
    if (width === 320) {
      const link = page.locator('.open-full a');
      assert.equal(await link.getAttribute('target'), '_blank');
      const href = await link.getAttribute('href');
      assert.ok(!/embed=|show=|controls=/.test(href), href);
      assert.match(href, /scheduler=SequentialLR/);
      const want = await summaryText(page, 'lr');
      const full = await openApp(new URL(href).hash);
      await settle(full.page);
      assert.equal(await full.page.locator('header.topbar').isVisible(), true);
      assert.equal(await summaryText(full.page, 'lr'), want);
      assert.deepEqual(full.errors(), []);
      await full.close();
    }
    assert.deepEqual(app.errors(), []);
    await app.close();
  }
});

test('the copy-paste snippet in docs/embedding.md works as written', async () => {
  const doc = readFileSync(path.join(ROOT, 'docs', 'embedding.md'), 'utf8');
  const snippet = doc.match(/```html\n([\s\S]*?)```/)[1];
  assert.match(snippet, /sandbox="allow-scripts/);
  // The resize script in the docs is assets/article.js, word for word.
  const script = snippet.match(/<script>\n([\s\S]*?)<\/script>/)[1].replace(/^ {2}/gm, '').trim();
  const articleJs = readFileSync(path.join(ROOT, 'assets', 'article.js'), 'utf8');
  assert.ok(articleJs.includes(script.split('\n').slice(1).join('\n')), 'docs script matches assets/article.js');

  const app = await openApp('', { waitForMount: false, viewport: { width: 900, height: 800 } });
  const { page, context } = app;
  // A host page on the same server (setContent keeps the page's origin), with the snippet as is.
  const html = snippet.replaceAll('https://YOUR-SITE/lr-playground/', `${app.origin}/`);
  await page.setContent(`<!doctype html><html><body><h1>Host</h1>${html}</body></html>`, { waitUntil: 'load' });
  const el = page.locator('iframe.lr-playground');
  const frame = await (await el.elementHandle()).contentFrame();
  await frame.waitForFunction(() => document.documentElement.dataset.lrpState === 'started', null, { timeout: 20000 });
  await page.waitForFunction(() => document.querySelector('iframe.lr-playground').dataset.sized === 'true');
  assert.equal(await frame.evaluate(() => document.querySelector('#lr-summary').textContent.trim()), DEFAULT_LR_SUMMARY);
  assert.equal(await frame.evaluate(() => document.fullscreenEnabled), true, 'allow="fullscreen" reaches the embed');
  await app.screenshot('share-docs-snippet');
  // With allow-popups, "Open in LR Playground" opens the full app in a new tab.
  const [popup] = await Promise.all([context.waitForEvent('page'), frame.click('.open-full a')]);
  await popup.waitForFunction(() => document.documentElement.dataset.lrpState === 'started', null, { timeout: 20000 });
  assert.equal(await popup.locator('header.topbar').isVisible(), true);
  assert.ok(!/embed=/.test(popup.url()), popup.url());
  assert.equal(await summaryText(popup, 'lr'), DEFAULT_LR_SUMMARY);
  assert.deepEqual(app.errors(), []);
  await app.close();
});

// ── classroom mode ───────────────────────────────────────────────────────────────────────

test('keyboard shortcuts: space, arrows, p, r with undo, ? and Esc; ignored while typing', async () => {
  const app = await openApp();
  const { page } = app;
  await settle(page);
  await page.locator('body').click({ position: { x: 5, y: 300 } });

  // Space: play, then pause.
  assert.equal(await pressed(page, 'button.play'), 'false');
  await page.keyboard.press('Space');
  assert.equal(await pressed(page, 'button.play'), 'true');
  await page.waitForTimeout(200);
  await page.keyboard.press('Space');
  assert.equal(await pressed(page, 'button.play'), 'false');

  // Arrows move the cursor; Shift moves ten epochs.
  const at = Number((await scrubText(page)).split('/')[0]);
  assert.ok(at >= 1 && at < 60, `played to epoch ${at}`);
  await page.keyboard.press('ArrowRight');
  assert.equal(await scrubText(page), `${at + 1} / 100`);
  await page.keyboard.press('ArrowLeft');
  assert.equal(await scrubText(page), `${at} / 100`);
  await page.keyboard.press('Shift+ArrowRight');
  assert.equal(await scrubText(page), `${at + 10} / 100`);
  await settle(page);
  assert.match(await page.locator('.readout [data-k=epoch] dd').innerText(), new RegExp(`^${at + 10} of 100`));
  assert.equal(await page.inputValue('#scrubber'), String(at + 9), 'the scrubber follows');
  // With the focus on the scrubber, Shift moves ten epochs too (plain arrows move one).
  await page.focus('#scrubber');
  await page.keyboard.press('Shift+ArrowLeft');
  assert.equal(await scrubText(page), `${at} / 100`);
  await page.keyboard.press('ArrowRight');
  assert.equal(await scrubText(page), `${at + 1} / 100`);
  await page.keyboard.press('Shift+ArrowUp'); // up and down as right and left, as on any slider
  assert.equal(await scrubText(page), `${at + 11} / 100`);
  await page.keyboard.press('Shift+ArrowDown');
  assert.equal(await scrubText(page), `${at + 1} / 100`);
  await page.locator('body').click({ position: { x: 5, y: 300 } });

  // p pins the current run.
  await page.keyboard.press('p');
  assert.equal(await page.locator('.pins li').count(), 1);
  assert.match(await page.locator('.toast').innerText(), /Pinned StepLR/);

  // Typing in a field is not a shortcut.
  await page.fill(field('gamma'), '0.5');
  await page.focus(field('gamma'));
  await page.keyboard.press('p');
  await page.keyboard.press('Space');
  assert.equal(await page.locator('.pins li').count(), 1);
  assert.equal(await pressed(page, 'button.play'), 'false');
  await page.fill(field('gamma'), '0.5');
  await settle(page);
  const changed = await summaries(page);
  assert.notEqual(changed.lr, DEFAULT_LR_SUMMARY);

  // r resets to the defaults; Undo brings the set-up back.
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('r');
  await settle(page);
  assert.equal(await summaryText(page, 'lr'), DEFAULT_LR_SUMMARY);
  assert.equal(await page.inputValue(field('gamma')), '0.1');
  assert.match(await page.locator('.toast').innerText(), /Reset/);
  await app.screenshot('share-reset-undo');
  await page.click('.toast button.undo');
  await settle(page);
  assert.deepEqual(await summaries(page), changed);

  // ? opens the help overlay with focus inside; Tab stays inside; Esc closes and returns focus.
  await page.focus('button.help-open');
  await page.keyboard.press('?');
  const dialog = page.locator('dialog.help-dialog');
  assert.equal(await dialog.evaluate((d) => d.open), true);
  assert.equal(await page.getAttribute('dialog.help-dialog', 'aria-labelledby'), 'help-title');
  assert.match(await dialog.innerText(), /Space[\s\S]*Play \/ pause/);
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press(i % 2 ? 'Shift+Tab' : 'Tab');
    assert.equal(await page.evaluate(() => !!document.activeElement.closest('dialog.help-dialog')), true, 'focus trapped');
  }
  await page.keyboard.press('p'); // not a shortcut while the help is open
  assert.equal(await page.locator('.pins li').count(), 1);
  await app.screenshot('share-help');
  await page.keyboard.press('Escape');
  assert.equal(await dialog.evaluate((d) => d.open), false);
  assert.equal(await page.evaluate(() => document.activeElement.className), 'help-open', 'focus returned');
  // The ? button opens it too; Close closes it.
  await page.click('button.help-open');
  assert.equal(await dialog.evaluate((d) => d.open), true);
  await page.click('button.help-close');
  assert.equal(await dialog.evaluate((d) => d.open), false);
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('f and the Fullscreen button toggle fullscreen on the app', async () => {
  const app = await openApp();
  const { page } = app;
  await settle(page);
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  const button = (on) => page.waitForFunction((on) => {
    const b = document.querySelector('button.fullscreen-toggle');
    return b.getAttribute('aria-pressed') === String(on) && b.textContent === (on ? 'Exit fullscreen' : 'Fullscreen');
  }, on);
  await page.keyboard.press('f');
  await page.waitForFunction(() => document.fullscreenElement?.classList.contains('app'));
  await button(true);
  await page.keyboard.press('f');
  await page.waitForFunction(() => !document.fullscreenElement);
  await button(false);
  await page.click('button.fullscreen-toggle');
  await page.waitForFunction(() => document.fullscreenElement?.classList.contains('app'));
  await button(true);
  await app.screenshot('share-fullscreen');
  await page.click('button.fullscreen-toggle');
  await page.waitForFunction(() => !document.fullscreenElement);
  await button(false);
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('presentation mode: the Present button and present=1', async () => {
  const app = await openApp();
  const { page } = app;
  await settle(page);
  const before = await canvasHash(page, '#lr-chart');
  const font = () => page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.chart-title')).fontSize));
  const small = await font();
  await page.click('button.present-toggle');
  await settle(page);
  assert.equal(await pressed(page, 'button.present-toggle'), 'true');
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('lrp-present')), true);
  assert.match(await page.evaluate(() => location.hash), /present=1/);
  assert.ok((await font()) > small * 1.3, 'larger type');
  assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--chart-scale').trim()), '1.6');
  assert.notEqual(await canvasHash(page, '#lr-chart'), before, 'charts redrawn');
  await app.screenshot('share-present');
  await page.click('button.present-toggle');
  await settle(page);
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('lrp-present')), false);
  assert.ok(!/present=1/.test(await page.evaluate(() => location.hash)));

  const linked = await openApp('#present=1', { colorScheme: 'dark' });
  await settle(linked.page);
  assert.equal(await linked.page.evaluate(() => document.documentElement.classList.contains('lrp-present')), true);
  assert.equal(await pressed(linked.page, 'button.present-toggle'), 'true');
  await linked.screenshot('share-present-dark');
  assert.deepEqual([...app.errors(), ...linked.errors()], []);
  await app.close();
  await linked.close();
});

test('on phones the control groups collapse (scheduler open); on desktop all are open', async () => {
  const phone = await openApp('', { viewport: { width: 360, height: 740 } });
  const open = (page) => page.$$eval('.controls details.group', (ds) => ds.map((d) => [d.dataset.group, d.open]));
  const p = Object.fromEntries(await open(phone.page));
  assert.deepEqual(p, { Scheduler: true, 'Optimizer: SGD': false, Problem: false, Training: false });
  // The charts are reachable: the LR chart starts within two screens.
  const y = (await phone.page.locator('#lr-chart').boundingBox()).y;
  assert.ok(y < 2 * 740, `LR chart at ${y}px`);
  await phone.page.click('details[data-group="Training"] > summary');
  assert.equal(await phone.page.locator(field('epochs')).isVisible(), true);
  await phone.page.keyboard.press('Enter'); // the summary is keyboard operable
  assert.equal(await phone.page.locator(field('epochs')).isVisible(), false);
  assert.deepEqual(phone.errors(), []);
  await phone.close();
  const desk = await openApp();
  assert.ok((await open(desk.page)).every(([, o]) => o), 'all open on desktop');
  assert.deepEqual(desk.errors(), []);
  await desk.close();
});

// ── export ───────────────────────────────────────────────────────────────────────────────

async function download(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const file = await dl.path();
  return { name: dl.suggestedFilename(), bytes: readFileSync(file) };
}

test('Download CSV: header, one row per epoch, numbers matching the summaries', async () => {
  const app = await openApp('', { csp: true }); // blob: downloads work under the strict CSP
  const { page } = app;
  await settle(page);
  const { name, bytes } = await download(page, 'button.download-csv');
  assert.equal(name, 'lr-playground.csv');
  const lines = bytes.toString('utf8').trimEnd().split('\n');
  assert.equal(lines[0], 'epoch,lr,momentum,train_loss,val_loss,accuracy,w0,w1,bias');
  assert.equal(lines.length, 100 + 1);
  const rows = lines.slice(1).map((l) => l.split(','));
  assert.ok(rows.every((r) => r.length === 9 && r.every((c) => c !== '' && Number.isFinite(Number(c)))));
  assert.deepEqual(rows.map((r) => Number(r[0])), Array.from({ length: 100 }, (_, i) => i + 1));
  assert.equal(Number(rows[0][1]), 0.1);
  assert.ok(Math.abs(Number(rows[30][1]) - 0.01) < 1e-15, rows[30][1]);
  const last = rows[99];
  const loss = await summaryText(page, 'loss');
  assert.ok(loss.includes(`→ ${fmtNum(Number(last[3]))} after 100 epochs`), `${loss} vs ${last[3]}`);
  assert.ok(loss.includes(`validation ${fmtNum(Number(last[4]))}`), `${loss} vs ${last[4]}`);
  const pct = Number(loss.match(/accuracy (\d+\.\d)%/)[1]); // as the readout: 72.5%
  assert.ok(Math.abs(pct - Number(last[5]) * 100) <= 0.05 + 1e-9, `${loss} vs ${last[5]}`);
  const params = await summaryText(page, 'params');
  assert.ok(params.includes(`to (${fmtNum(Number(last[6]))}, ${fmtNum(Number(last[7]))})`), `${params} vs ${last}`);
  assert.ok(params.includes(`bias ${fmtNum(Number(last[8]))}`), `${params} vs ${last[8]}`);

  // The quadratic bowl has no validation set, accuracy or bias: empty cells.
  const quad = await openApp('#scheduler=ExponentialLR&gamma=0.9&lr=0.5&problem=quadratic&epochs=37&momentum=0.5');
  await settle(quad.page);
  const csv = (await download(quad.page, 'button.download-csv')).bytes.toString('utf8').trimEnd().split('\n');
  assert.equal(csv.length, 37 + 1);
  const q = csv[37].split(',');
  assert.equal(q.length, 9);
  assert.deepEqual([q[4], q[5], q[8]], ['', '', '']);
  assert.equal(Number(q[2]), 0.5);
  assert.ok(Math.abs(Number(q[1]) - 0.5 * 0.9 ** 36) < 1e-12, q[1]);
  const qloss = await summaryText(quad.page, 'loss');
  assert.ok(qloss.includes(`→ ${fmtNum(Number(q[3]))} after 37 epochs`), `${qloss} vs ${q[3]}`);
  assert.equal(await page.isHidden('button.download-steps-csv'), true, 'stepped per epoch: no per-step CSV');

  // Stepped per batch, the lr moves within an epoch: a CSV with a row per SGD step.
  const cyc = await openApp('#scheduler=CyclicLR&base_lr=0.001&max_lr=0.1&step_size_up=4&epochs=20');
  await settle(cyc.page);
  const epochRows = (await download(cyc.page, 'button.download-csv')).bytes.toString('utf8').trimEnd().split('\n');
  assert.equal(epochRows[0], 'epoch,lr_first_batch,lr_last_batch,momentum_first_batch,train_loss,val_loss,accuracy,w0,w1,bias');
  const { name: stepsName, bytes: steps } = await download(cyc.page, 'button.download-steps-csv');
  assert.equal(stepsName, 'lr-playground-steps.csv');
  const stepRows = steps.toString('utf8').trimEnd().split('\n');
  assert.equal(stepRows[0], 'step,epoch,batch,lr,momentum,w0,w1,bias');
  assert.equal(stepRows.length, 20 * 8 + 1);
  const lrs = stepRows.slice(1).map((r) => Number(r.split(',')[3]));
  assert.ok(Math.abs(Math.min(...lrs) - 0.001) < 1e-12 && Math.abs(Math.max(...lrs) - 0.1) < 1e-12, 'the whole cycle');
  assert.deepEqual([...app.errors(), ...quad.errors(), ...cyc.errors()], []);
  await app.close();
  await quad.close();
  await cyc.close();
});

test('Download PNG: each chart at the canvas size, framed by its title, set-up, legend and summary', async () => {
  const app = await openApp('#scheduler=StepLR&gamma=0.5', { deviceScaleFactor: 2, csp: true });
  const { page } = app;
  await settle(page);
  for (const c of CHARTS) {
    const { name, bytes } = await download(page, `button.download-png[data-chart=${c}]`);
    assert.equal(name, `lr-playground-${c}.png`);
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
    assert.equal(bytes.toString('latin1', 12, 16), 'IHDR');
    const [w, h] = [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
    const size = await page.$eval(`#${c}-chart`, (cv) => [cv.width, cv.height]);
    assert.equal(w, size[0] + 2 * 16 * 2, `${c}: the canvas's backing width and a 16 px margin (at 2x)`);
    assert.ok(h > size[1] + 2 * 100, `${c}: room for the title, caption, legend and summary (${h} vs ${size[1]})`);
    // Text is drawn above the chart (title, caption) and below it (legend, summary); the
    // chart itself sits between them, pixel for pixel.
    const check = await page.evaluate(async ({ b64, id }) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const cv = document.createElement('canvas');
      [cv.width, cv.height] = [img.width, img.height];
      const ctx = cv.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(img, 0, 0);
      const bg = ctx.getImageData(1, 1, 1, 1).data;
      const ink = (y0, y1) => {
        const d = ctx.getImageData(0, y0, cv.width, y1 - y0).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) n += Math.abs(d[i] - bg[0]) + Math.abs(d[i + 1] - bg[1]) + Math.abs(d[i + 2] - bg[2]) > 90;
        return n;
      };
      const chart = document.getElementById(id);
      const top = cv.height - 2 * 16 - chart.height; // the chart ends above the legend and summary
      // Where the chart is in the PNG: the offset at which its rows at a quarter, half and
      // three quarters of its height all match (one row alone may repeat within the chart:
      // a step curve's vertical edges cross many rows alike).
      const rows = [chart.height >> 2, chart.height >> 1, (3 * chart.height) >> 2];
      const want = rows.map((r) => chart.getContext('2d').getImageData(0, r, chart.width, 1).data);
      const same = (y, k) => ctx.getImageData(32, y, chart.width, 1).data.every((v, i) => Math.abs(v - want[k][i]) <= 2);
      let found = -1;
      for (let off = 0; off < top && found < 0; off++) {
        if (rows.every((r, k) => same(r + off, k))) found = off;
      }
      return { title: ink(32, 32 + 40), below: ink(found + chart.height, cv.height), found };
    }, { b64: bytes.toString('base64'), id: `${c}-chart` });
    assert.ok(check.found > 80, `${c}: the chart's first row found below the title, at ${check.found}`);
    assert.ok(check.title > 300, `${c}: title drawn (${check.title} inked pixels)`);
    assert.ok(check.below > 1000, `${c}: legend and summary drawn (${check.below} inked pixels)`);
  }
  // Every export control is labelled.
  const unlabelled = await page.$$eval('.export button', (bs) => bs.filter((b) => !(b.getAttribute('aria-label') || b.textContent.trim())).length);
  assert.equal(unlabelled, 0);
  assert.deepEqual(app.errors(), []);
  await app.close();
});

/**
 * Pixels within 40 of the CSS colour `cssVar` in a downloaded PNG of chart `kind`, above the
 * chart (`where` = 'above': title, caption, banner) or below it ('below': legend, summary).
 */
async function pngInk(page, kind, cssVar, where) {
  const { bytes } = await download(page, `button.download-png[data-chart=${kind}]`);
  return page.evaluate(async ({ b64, id, cssVar, where }) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const cv = document.createElement('canvas');
    [cv.width, cv.height] = [img.width, img.height];
    const ctx = cv.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(img, 0, 0);
    const chart = document.getElementById(id);
    // Where the chart is: its rows at a quarter, half and three quarters all match there.
    const rows = [chart.height >> 2, chart.height >> 1, (3 * chart.height) >> 2];
    const want = rows.map((r) => chart.getContext('2d').getImageData(0, r, chart.width, 1).data);
    const same = (y, k) => ctx.getImageData(16, y, chart.width, 1).data.every((v, i) => Math.abs(v - want[k][i]) <= 2);
    let found = -1;
    for (let off = 0; off + chart.height <= cv.height && found < 0; off++) {
      if (rows.every((r, k) => same(r + off, k))) found = off;
    }
    const probe = document.createElement('span');
    probe.style.color = `var(${cssVar})`;
    document.body.append(probe);
    const [r, g, b] = getComputedStyle(probe).color.match(/\d+/g).map(Number);
    probe.remove();
    const [y0, y1] = where === 'above' ? [0, Math.max(found, 1)] : [found + chart.height, cv.height];
    const d = ctx.getImageData(0, y0, cv.width, y1 - y0).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) n += Math.abs(d[i] - r) + Math.abs(d[i + 1] - g) + Math.abs(d[i + 2] - b) <= 40;
    return { found, n };
  }, { b64: bytes.toString('base64'), id: `${kind}-chart`, cssVar, where });
}

test('Download PNG of a run that diverged: the banner’s words are above the chart, in the danger colour', async () => {
  const app = await openApp('#problem=quadratic&scheduler=None&lr=5&epochs=40');
  const { page } = app;
  await settle(page);
  // The chart's own divergence marker is inside the chart, below what is counted.
  assert.match(await page.locator('.banner.danger').innerText(), /^Training diverged at epoch 6/);
  const diverged = await pngInk(page, 'loss', '--c-danger', 'above');
  assert.ok(diverged.found > 80, `the chart found in the PNG (${diverged.found})`);
  assert.ok(diverged.n > 200, `the divergence named above the chart (${diverged.n} pixels)`);
  await page.fill(field('lr'), '0.1');
  await settle(page);
  assert.equal(await page.locator('.banner').count(), 0);
  assert.equal((await pngInk(page, 'loss', '--c-danger', 'above')).n, 0, 'nothing in the danger colour above a run that trained');
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('Download PNG with the cursor set: the legend names the cursor drawn on the chart', async () => {
  const app = await openApp('#scheduler=StepLR');
  const { page } = app;
  await settle(page);
  assert.equal((await pngInk(page, 'lr', '--c-cursor', 'below')).n, 0, 'no cursor, no cursor in the legend');
  await page.fill('#scrubber', '30');
  await settle(page);
  const ink = await pngInk(page, 'lr', '--c-cursor', 'below');
  assert.ok(ink.n > 20, `a cursor swatch below the chart (${ink.n} pixels)`);
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('r in an embed goes back to the set-up the embed started with, and says so', async () => {
  const app = await openApp('#embed=1&controls=gamma&scheduler=StepLR&gamma=0.3&step_size=25');
  const { page } = app;
  await settle(page);
  await page.fill(field('gamma'), '0.5');
  await settle(page);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('r');
  await settle(page);
  assert.equal(await page.inputValue(field('gamma')), '0.3');
  assert.equal(await page.locator('.toast span').first().innerText(), 'Reset the set-up to how this embed started.');
  await page.keyboard.press('r');
  assert.equal(await page.locator('.toast span').first().innerText(), 'The set-up is already as this embed started.');
  assert.deepEqual(app.errors(), []);
  await app.close();
});
