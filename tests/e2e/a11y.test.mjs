// Accessibility audit (issue 8): axe-core on the app (default, a composite scheduler, dark
// mode, presentation mode, a phone, and with errors, banners, notices, pins, a toast and the
// help dialog showing), on embed mode, on the tutorial article and on the embeds inside it:
// zero serious or critical violations; minor and moderate ones are printed. Then a keyboard
// walk-through: Tab through every control from the top (each shows a focus indicator and has an
// accessible name), sliders move with the arrow keys and update the charts, the scheduler
// select changes with the keyboard.
//
// axe is injected with page.addScriptTag, which a strict CSP blocks, so these pages are served
// without the CSP header (smoke.test.mjs and robustness.test.mjs cover the CSP).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openApp, closeAll, canvasHash, summaryText, ROOT, settle } from './harness.mjs';

after(closeAll);

const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const BLOCKING = new Set(['serious', 'critical']);

/** Run axe on a page or frame; print minor/moderate findings, return the serious/critical ones. */
async function audit(target, label) {
  if (!(await target.evaluate(() => typeof window.axe === 'object'))) await target.addScriptTag({ path: AXE });
  const violations = await target.evaluate(async () => {
    // axe's default rule set: WCAG 2.x A and AA plus best practices.
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ').slice(0, 240)}`),
    }));
  });
  for (const v of violations.filter((x) => !BLOCKING.has(x.impact))) {
    console.log(`# axe ${label}: ${v.impact} ${v.id} (${v.help}) on ${v.nodes.length} node(s): ${v.nodes[0]}`);
  }
  return violations.filter((v) => BLOCKING.has(v.impact))
    .map((v) => `${label}: ${v.impact} ${v.id} (${v.help})\n    ${v.nodes.slice(0, 5).join('\n    ')}`);
}

// ── axe ──────────────────────────────────────────────────────────────────────────────────

test('axe: the app in its main states has no serious or critical violations', async () => {
  const found = [];
  const cases = [
    ['default', ''],
    ['composite scheduler', '#scheduler=SequentialLR'],
    ['ChainedScheduler, quadratic', '#scheduler=ChainedScheduler&problem=quadratic'],
    ['dark mode', '', { colorScheme: 'dark' }],
    ['present mode', '#present=1'],
    ['present mode, dark', '#present=1', { colorScheme: 'dark' }],
    ['phone', '', { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 }],
    ['phone, dark', '', { viewport: { width: 360, height: 740 }, colorScheme: 'dark' }],
  ];
  for (const [label, hash, opts] of cases) {
    const app = await openApp(hash, opts || {});
    await settle(app.page);
    found.push(...await audit(app.page, label));
    assert.deepEqual(app.errors(), [], label);
    await app.close();
  }
  assert.deepEqual(found, [], found.join('\n'));
});

test('axe: errors, banners, notices, pins, a toast and the help dialog', async () => {
  const found = [];
  for (const colorScheme of ['light', 'dark']) {
    const app = await openApp('#scheduler=StepLR&problem=quadratic&lr=0.1&epochs=60&show=lr,loss,params,bogus', { colorScheme });
    const { page } = app;
    await settle(page);
    // A link notice (the bogus panel), a refused value beside its field, a divergence banner,
    // a halted notice, pinned runs and a toast.
    await page.fill('input.num[data-key="gamma"]', 'abc');
    await page.fill('input.num[data-key="lr"]', '3');
    await page.click('text=Pin run');
    await page.fill('input.num[data-key="weight_decay"]', '0.01'); // another run (still diverging): P pins it too
    await page.locator('.playback .play').focus();
    await page.keyboard.press('p');
    await settle(page);
    assert.equal(await page.locator('.link-notice').count(), 1);
    assert.equal(await page.locator('.banner.danger').count(), 1);
    assert.equal(await page.locator('.toast').count(), 1);
    found.push(...await audit(page, `states (${colorScheme})`));
    await page.selectOption('#p-scheduler', 'LambdaLR');
    await page.fill('#p-lr_lambda', '1/(10-epoch)');
    await page.fill('input.num[data-key="lr"]', '0.1');
    await settle(page);
    assert.equal(await page.locator('.banner.notice').count(), 2);
    await page.fill('#p-lr_lambda', '0.95 **');
    await settle(page);
    found.push(...await audit(page, `halted and expression error (${colorScheme})`));
    await page.click('button.help-open');
    await page.locator('dialog.help-dialog[open]').waitFor();
    found.push(...await audit(page, `help dialog (${colorScheme})`));
    assert.deepEqual(app.errors(), []);
    await app.close();
  }
  assert.deepEqual(found, [], found.join('\n'));
});

test('axe: embed mode', async () => {
  const found = [];
  const cases = [
    ['embed, some controls', '#embed=1&show=lr,loss&controls=step_size,gamma&scheduler=StepLR'],
    ['embed, no controls', '#embed=1&show=lr&scheduler=CosineAnnealingLR'],
    ['embed, everything', '#embed=1'],
    ['embed, dark', '#embed=1&show=lr,loss,params&controls=lr', { colorScheme: 'dark' }],
    ['embed, present', '#embed=1&present=1&show=lr,loss&controls=lr'],
    ['embed, narrow', '#embed=1&show=lr,loss&controls=lr,momentum', { viewport: { width: 320, height: 600 } }],
  ];
  for (const [label, hash, opts] of cases) {
    const app = await openApp(hash, opts || {});
    await settle(app.page);
    const h1 = await app.page.$$eval('h1', (hs) => hs.filter((h) => !h.closest('[hidden]')).map((h) => h.textContent));
    assert.equal(h1.length, 1, `${label}: one h1 for the page outline (${h1})`);
    assert.match(h1[0], /^LR Playground: /);
    found.push(...await audit(app.page, label));
    assert.deepEqual(app.errors(), [], label);
    await app.close();
  }
  assert.deepEqual(found, [], found.join('\n'));
});

test('axe: the tutorial article and every embed inside it', async () => {
  const found = [];
  for (const colorScheme of ['light', 'dark']) {
    const app = await openApp('', { waitForMount: false, colorScheme, viewport: { width: 1100, height: 900 } });
    const { page } = app;
    await page.goto(`${app.origin}/article.html`, { waitUntil: 'load' });
    found.push(...await audit(page, `article (${colorScheme})`));
    const frames = page.locator('iframe.lr-playground');
    const n = await frames.count();
    assert.ok(n >= 6);
    for (let i = 0; i < n; i++) {
      const el = frames.nth(i);
      await el.scrollIntoViewIfNeeded();
      const frame = await (await el.elementHandle()).contentFrame();
      await frame.waitForFunction(
        () => document.documentElement.dataset.lrpState === 'started' && !document.getElementById('loading'),
        null, { timeout: 20000 });
      await frame.waitForSelector('.app.embed');
      await settle(frame);
      found.push(...await audit(frame, `article embed ${i + 1} (${colorScheme})`));
    }
    assert.deepEqual(app.errors(), []);
    await app.close();
  }
  assert.deepEqual(found, [], found.join('\n'));
});

// ── keyboard ─────────────────────────────────────────────────────────────────────────────

/** Focus styles of an element: what makes a focus indicator. */
function focusStyle(page, walkId) {
  return page.evaluate((id) => {
    const el = document.querySelector(`[data-walk="${id}"]`);
    if (!el) return null;
    const cs = getComputedStyle(el);
    return [cs.outlineStyle, cs.outlineWidth, cs.outlineColor, cs.outlineOffset, cs.boxShadow, cs.borderColor].join(' | ');
  }, walkId);
}

test('keyboard: Tab reaches every control from the top, each with a focus indicator and a name', async () => {
  const app = await openApp('#scheduler=OneCycleLR');
  const { page } = app;
  await settle(page);
  await page.addScriptTag({ path: AXE });
  await page.evaluate(() => document.activeElement?.blur());
  const walk = [];
  const problems = [];
  for (let i = 0; i < 400; i++) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body || el === document.documentElement) return null;
      el.dataset.walk ||= String(Math.random()).slice(2);
      window.axe.setup();
      let name;
      try {
        name = window.axe.commons.text.accessibleTextVirtual(window.axe.utils.getNodeFromTree(el)).trim();
      } finally {
        window.axe.teardown();
      }
      const r = el.getBoundingClientRect();
      return {
        id: el.dataset.walk, tag: el.tagName.toLowerCase(), type: el.getAttribute('type') || '',
        key: el.dataset.key || el.id || el.className, name, focusVisible: el.matches(':focus-visible'),
        visible: r.width > 0 && r.height > 0,
      };
    });
    if (!info || (walk.length && info.id === walk[0].id)) break;
    info.focused = await focusStyle(page, info.id);
    walk.push(info);
  }
  // Compare each element's look when focused with its look now that focus has moved on.
  for (const el of walk) {
    const label = `${el.tag}${el.type ? `[${el.type}]` : ''} ${el.key} "${el.name}"`;
    if (!el.name) problems.push(`${label}: no accessible name`);
    if (!el.visible) problems.push(`${label}: focused but not visible`);
    if (!el.focusVisible) problems.push(`${label}: not :focus-visible when reached with Tab`);
    const unfocused = await focusStyle(page, el.id);
    if (unfocused === el.focused) problems.push(`${label}: looks the same focused and unfocused (${el.focused})`);
    else if (/^none \| /.test(el.focused) && !/rgba?\(/.test(el.focused.split(' | ')[4])) {
      problems.push(`${label}: no outline or shadow when focused (${el.focused})`);
    }
  }
  console.log(`# keyboard walk: ${walk.length} stops: ${walk.map((w) => w.name || w.key).join(' · ')}`);
  assert.deepEqual(problems, [], problems.join('\n'));
  // Every control of the panel and of the page is in the walk.
  const reached = new Set(walk.map((w) => w.id));
  const missed = await page.evaluate((ids) => [...document.querySelectorAll(
    '.controls input, .controls select, .controls button:not(:disabled), .topbar select, .topbar button, .playback input, .playback select, .playback button, .side button:not(:disabled), .understanding button')]
    .filter((e) => e.getClientRects().length > 0 && !ids.includes(e.dataset.walk))
    .map((e) => e.outerHTML.slice(0, 120)), [...reached]);
  assert.deepEqual(missed, [], 'every visible control is reachable with Tab');
  const first = walk[0];
  assert.equal(first.key, 'preset', 'the walk starts at the top bar');
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('keyboard: sliders move with the arrow keys and update the charts; the scheduler select follows the keys', async () => {
  const app = await openApp('#scheduler=StepLR&step_size=30&gamma=0.1&lr=0.1&epochs=100');
  const { page } = app;
  await settle(page);
  const slider = page.locator('input[type=range][data-key="step_size"]');
  await slider.focus();
  const before = { s: await summaryText(page, 'lr'), h: await canvasHash(page, '#lr-chart') };
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
  await settle(page);
  assert.equal(await page.inputValue('input.num[data-key="step_size"]'), '25');
  assert.match(await summaryText(page, 'lr'), /^LR starts at 0\.1, ends at 0\.0001; drops after 25, 50, 75 epochs\b/);
  assert.notEqual(await canvasHash(page, '#lr-chart'), before.h, 'the LR chart redrew');
  await page.keyboard.press('PageUp');
  await page.keyboard.press('Home');
  await settle(page);
  assert.equal(await page.inputValue('input.num[data-key="step_size"]'), '1', 'Home: the minimum');
  assert.match(new URL(page.url()).hash, /step_size=1(&|$)/);

  // A log-scaled float slider (lr): up and down arrows step it.
  const lr = page.locator('input[type=range][data-key="lr"]');
  await lr.focus();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await settle(page);
  const lrText = await page.inputValue('input.num[data-key="lr"]');
  assert.ok(Number(lrText) > 0.1, `lr went up: ${lrText}`);
  assert.match(await summaryText(page, 'lr'), new RegExp(`^LR starts at ${lrText.replace('.', '\\.')},`));

  // The scheduler select: arrow keys change it (and the charts) without opening it.
  const sched = page.locator('#p-scheduler');
  await sched.focus();
  const name0 = await sched.inputValue();
  const lr0 = await summaryText(page, 'lr');
  await page.keyboard.press('ArrowDown');
  await settle(page);
  const name1 = await sched.inputValue();
  assert.notEqual(name1, name0, 'ArrowDown picked the next scheduler');
  assert.notEqual(await summaryText(page, 'lr'), lr0, 'the charts follow');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'p-scheduler', 'focus stays on the select');
  await page.keyboard.press('ArrowUp');
  await settle(page);
  assert.equal(await sched.inputValue(), name0);

  // A checkbox with Space, a collapsible group with Enter, the Play button with Enter.
  const nesterov = page.locator('input[type=checkbox][data-key="nesterov"]');
  const momentum = page.locator('input.num[data-key="momentum"]');
  await momentum.fill('0.9');
  await nesterov.focus();
  await page.keyboard.press('Space');
  assert.equal(await nesterov.isChecked(), true);
  const group = page.locator('details.group[data-group="Training"] > summary');
  await group.focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('details.group[data-group="Training"]').evaluate((d) => d.open), false);
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('details.group[data-group="Training"]').evaluate((d) => d.open), true);
  await page.locator('.playback .play').focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute('.playback .play', 'aria-pressed'), 'true');
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute('.playback .play', 'aria-pressed'), 'false');
  // The epoch scrubber: arrow keys move the cursor and the readout follows.
  await page.locator('#scrubber').focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await settle(page);
  assert.equal(await page.locator('.scrub output').innerText(), '2 / 100');
  assert.match(await page.locator('.readout').innerText(), /2 of 100/);
  await app.screenshot('a11y-keyboard');
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('a composite\'s children name their parameters apart (schedulers[0] gamma, schedulers[1] gamma)', async () => {
  const app = await openApp('#scheduler=ChainedScheduler&s0=StepLR&s1=StepLR');
  const { page } = app;
  await settle(page);
  for (const i of [0, 1]) {
    assert.equal(await page.getByRole('slider', { name: `schedulers[${i}] gamma slider`, exact: true }).count(), 1);
    assert.equal(await page.getByRole('textbox', { name: `schedulers[${i}] gamma`, exact: true }).count(), 1);
  }
  // Top-level parameters keep their plain names.
  assert.equal(await page.getByRole('slider', { name: 'lr slider', exact: true }).count(), 1);
  assert.deepEqual(app.errors(), []);
  await app.close();
});
