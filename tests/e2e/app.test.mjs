// End-to-end tests of the playground UI on the release build (dist/), as a student uses it:
// sliders dragged with the mouse, fields typed into, schedulers and presets picked.
// Screenshots land in target/e2e-artifacts/app-*.png.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, closeAll, dragSlider, canvasHash, summaryText, settle, CHARTS, slider, field, pinEach } from './harness.mjs';

after(closeAll);


async function snapshot(page) {
  const out = {};
  for (const c of CHARTS) {
    out[c] = { summary: await summaryText(page, c), hash: await canvasHash(page, `#${c}-chart`) };
  }
  return out;
}

// Type `value` into the text field of `key`, then leave the field (as a user commits it).
async function commit(page, key, value) {
  await page.fill(field(key), value);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await settle(page);
}

async function pickScheduler(page, name) {
  await page.selectOption('#p-scheduler', name);
  await settle(page);
}

test('loads with three labelled charts, live summaries and no console errors', async () => {
  const app = await openApp();
  const { page } = app;
  await settle(page);
  const labels = await page.$$eval('canvas[role=img]', (cs) => cs.map((c) => c.getAttribute('aria-label')));
  for (const want of ['Learning rate', 'Loss', 'Parameter space']) {
    assert.ok(labels.some((l) => l.includes(want)), `${want} in ${labels}`);
  }
  assert.equal(await summaryText(page, 'lr'), 'LR starts at 0.1, ends at 0.0001; drops after 30, 60, 90 epochs.');
  assert.match(await summaryText(page, 'loss'), /^Train loss .* after 100 epochs; validation .*; accuracy \d+\.\d%\.$/);
  assert.match(await summaryText(page, 'params'), /^SGD path from/);
  // Canvases are drawn at devicePixelRatio and are not blank.
  const size = await page.$eval('#lr-chart', (c) => [c.width, c.height, c.getBoundingClientRect().width]);
  assert.ok(size[0] > 200 && Math.abs(size[0] - size[2]) <= 2, `backing ${size}`);
  // Every control has a label.
  const unlabelled = await page.$$eval('.controls input, .controls select', (els) =>
    els.filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map((e) => e.outerHTML));
  assert.deepEqual(unlabelled, []);
  await app.screenshot('app-home');
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('dragging gamma and step_size (StepLR) redraws the LR and loss charts', async () => {
  const app = await openApp();
  const { page } = app;
  await settle(page);
  for (const [key, to] of [['gamma', 500], ['step_size', 12]]) {
    const before = await snapshot(page);
    await dragSlider(page, slider(key), to);
    await settle(page);
    const after = await snapshot(page);
    for (const c of ['lr', 'loss']) {
      assert.notEqual(after[c].summary, before[c].summary, `${key}: ${c} summary changed`);
      assert.notEqual(after[c].hash, before[c].hash, `${key}: ${c} canvas changed`);
    }
  }
  assert.equal(await page.inputValue(field('step_size')), '12');
  assert.match(await summaryText(page, 'lr'), /drops after 12, 24, 36, /);
  await app.screenshot('app-steplr-dragged');
  // Every slider input ends with a performance measure of the update.
  const n = await page.evaluate(() => performance.getEntriesByName('update', 'measure').length);
  assert.ok(n > 0, 'performance.measure("update") recorded');
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('dragging patience (ReduceLROnPlateau) changes the reductions', async () => {
  const app = await openApp();
  const { page } = app;
  await page.selectOption('#preset', 'plateau');
  await settle(page);
  const before = await snapshot(page);
  assert.match(before.lr.summary, /reduced after|never reduced/);
  await dragSlider(page, slider('patience'), 2);
  await settle(page);
  const after = await snapshot(page);
  assert.notEqual(after.lr.summary, before.lr.summary);
  assert.notEqual(after.lr.hash, before.lr.hash);
  assert.notEqual(after.loss.hash, before.loss.hash);
  // Readout shows the plateau counters.
  const readout = await page.locator('.readout').innerText();
  assert.match(readout, /BAD EPOCHS/i);
  assert.match(readout, /COOLDOWN/i);
  await app.screenshot('app-plateau');
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('every scheduler can be picked and renders its charts', async () => {
  const app = await openApp();
  const { page } = app;
  const names = await page.$$eval('#p-scheduler option', (os) => os.map((o) => o.value));
  assert.ok(names.length >= 15, names.join());
  for (const name of names) {
    await pickScheduler(page, name);
    assert.equal(await page.inputValue('#p-scheduler'), name);
    for (const c of CHARTS) {
      const s = await summaryText(page, c);
      assert.ok(s && s.length > 10 && !/Cannot run/.test(s), `${name}: ${c} summary ${s}`);
    }
    if (name === 'OneCycleLR' || name === 'SequentialLR') await app.screenshot(`app-${name}`);
  }
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('invalid input shows the error beside the field and keeps the last run', async () => {
  const app = await openApp();
  const { page } = app;
  await settle(page);
  const before = await snapshot(page);
  await page.fill(field('gamma'), '-1');
  await settle(page);
  const err = await page.locator('[data-key="gamma"] .field-error').innerText();
  assert.match(err, /gamma/);
  assert.equal(await page.getAttribute(field('gamma'), 'aria-invalid'), 'true');
  const after = await snapshot(page);
  assert.deepEqual(after, before, 'charts and summaries unchanged');

  await pickScheduler(page, 'LambdaLR');
  const lambdaBefore = await snapshot(page);
  await page.fill('#p-lr_lambda', '0.95 **');
  await settle(page);
  const lerr = await page.locator('[data-key="lr_lambda"] .field-error').innerText();
  assert.match(lerr, /column 8/);
  assert.equal(await page.locator('[data-key="lr_lambda"] .caret').innerText(), '       ^');
  assert.deepEqual(await snapshot(page), lambdaBefore, 'charts kept while the expression is broken');
  await app.screenshot('app-lambda-error');
  await page.fill('#p-lr_lambda', '0.9 ** epoch');
  await settle(page);
  assert.equal(await page.locator('[data-key="lr_lambda"] .field-error').count(), 1);
  assert.equal((await page.locator('[data-key="lr_lambda"] .field-error').innerText()).trim(), '');
  assert.notEqual(await summaryText(page, 'lr'), lambdaBefore.lr.summary);
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('composite editor: add, reorder, retune and remove SequentialLR children', async () => {
  const app = await openApp();
  const { page } = app;
  await pickScheduler(page, 'SequentialLR');
  assert.equal(await page.inputValue('#p-s0'), 'LinearLR');
  assert.equal(await page.inputValue('#p-s1'), 'CosineAnnealingLR');
  const before = await summaryText(page, 'lr');
  await page.selectOption('#add-child', 'StepLR');
  await page.click('.add-child button');
  await settle(page);
  assert.equal(await page.inputValue('#p-s2'), 'StepLR');
  assert.equal(await page.inputValue(field('milestones')), '5, 15');
  assert.notEqual(await summaryText(page, 'lr'), before);
  await dragSlider(page, slider('s1.T_max'), 30);
  await settle(page);
  assert.equal(await page.inputValue(field('s1.T_max')), '30');
  await page.click('[data-key="s2"] button[aria-label="Move schedulers[2] up"]');
  await settle(page);
  assert.equal(await page.inputValue('#p-s1'), 'StepLR');
  await page.click('[data-key="s1"] button[aria-label="Remove schedulers[1]"]');
  await settle(page);
  assert.equal(await page.locator('#p-s2').count(), 0);
  assert.equal(await page.inputValue('#p-s1'), 'CosineAnnealingLR');
  await app.screenshot('app-composite');
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('the divergence preset shows the banner and marks the epoch', async () => {
  const app = await openApp();
  const { page } = app;
  await page.selectOption('#preset', 'divergence');
  await settle(page);
  const banner = await page.locator('.banner.danger').innerText();
  assert.match(banner, /Training diverged at epoch \d+/);
  assert.match(await summaryText(page, 'loss'), /^Diverged at epoch \d+: loss exceeded 1e6× its start/);
  await app.screenshot('app-divergence');
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('the URL fragment follows the config and restores it', async () => {
  const app = await openApp('#scheduler=CosineAnnealingLR&T_max=50&lr=0.2&epochs=80');
  const { page } = app;
  await settle(page);
  assert.equal(await page.inputValue(field('T_max')), '50');
  assert.equal(await page.inputValue(field('lr')), '0.2');
  await dragSlider(page, slider('T_max'), 20);
  await settle(page);
  assert.match(new URL(page.url()).hash, /T_max=20/);
  // Editing the hash by hand re-reads it.
  await page.evaluate(() => { location.hash = 'scheduler=StepLR&step_size=7&gamma=0.5&lr=0.1&epochs=30'; });
  await settle(page);
  assert.equal(await page.inputValue(field('step_size')), '7');
  assert.match(await summaryText(page, 'lr'), /drops after 7, 14, 21, 28/);
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('compare: pin runs as ghosts, unpin, clear', async () => {
  const app = await openApp();
  const { page } = app;
  await settle(page);
  await page.click('text=Pin run');
  assert.equal(await page.isDisabled('button.pin'), true, 'one run is pinned once');
  await dragSlider(page, slider('gamma'), 600);
  await settle(page);
  assert.equal(await page.isDisabled('button.pin'), false);
  await page.click('text=Pin run');
  assert.equal(await page.locator('.pins li').count(), 2);
  assert.equal(await page.locator('figure[data-chart=lr] .legend li.ghost').count(), 2);
  const withGhosts = await canvasHash(page, '#lr-chart');
  await page.click('.pins li >> nth=0 >> button.unpin');
  await settle(page);
  assert.equal(await page.locator('.pins li').count(), 1);
  assert.notEqual(await canvasHash(page, '#lr-chart'), withGhosts);
  await app.screenshot('app-compare');
  await page.click('text=Clear');
  assert.equal(await page.locator('.pins li').count(), 0);
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('compare: runs that differ beyond the label’s numbers are told apart by what differs', async () => {
  const app = await openApp('#scheduler=StepLR');
  const { page } = app;
  await settle(page);
  await pinEach(page, 'momentum', ['0.9']);
  const labels = () => page.locator('.pins li .pin-label').allInnerTexts();
  assert.deepEqual(await labels(), [
    'StepLR (lr=0.1, step_size=30, gamma=0.1, momentum=0)',
    'StepLR (lr=0.1, step_size=30, gamma=0.1, momentum=0.9)',
  ]);
  assert.deepEqual(await page.locator('figure[data-chart=lr] .legend li.ghost').allInnerTexts(), await labels());
  assert.deepEqual(await page.locator('figure[data-chart=loss] .legend li.ghost').allInnerTexts(),
    (await labels()).map((l) => `${l}: train loss`), 'a pinned run shows its training loss only');
  await page.fill(field('gamma'), '0.5');
  await settle(page);
  await page.click('text=Pin run');
  assert.equal((await labels())[2], 'StepLR (lr=0.1, step_size=30, gamma=0.5)', 'a label of its own needs nothing added');
  await page.click('.pins li >> nth=0 >> button.unpin');
  assert.deepEqual(await labels(), [
    'StepLR (lr=0.1, step_size=30, gamma=0.1)',
    'StepLR (lr=0.1, step_size=30, gamma=0.5)',
  ], 'unpinned: the twin is alone again');
  // A composite's children are named by their keys: two children may share a parameter name.
  await page.selectOption('#p-scheduler', 'SequentialLR');
  await settle(page);
  await page.click('text=Pin run');
  assert.match((await labels())[2], /^SequentialLR \(lr=0\.1, s0=LinearLR, s0\.start_factor=[\d.]+\)$/);
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('compare: a run pinned on another problem stays on the LR chart only, and says so', async () => {
  const app = await openApp();
  const { page } = app;
  await settle(page);
  await page.click('text=Pin run'); // logistic regression
  await page.selectOption('#p-problem', 'quadratic');
  await settle(page);
  const legend = (chart) => page.locator(`figure[data-chart=${chart}] .legend li.ghost`).count();
  assert.equal(await legend('lr'), 1, 'the LR chart compares schedules across problems');
  assert.equal(await legend('loss'), 0, 'no logistic loss curve on the quadratic loss chart');
  assert.equal(await legend('params'), 0, 'no logistic weights path over the bowl');
  assert.equal(await page.locator('.pins li .pin-note').innerText(), 'logistic: LR chart only');
  assert.match(await page.getAttribute('.pins li .pin-label', 'title'), /^StepLR \(lr=0\.1/);
  await page.selectOption('#p-problem', 'logistic');
  await settle(page);
  assert.equal(await legend('loss'), 1);
  assert.equal(await page.locator('.pins li .pin-note').count(), 0);
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('compare: a run pinned on another bowl is compared on the LR and loss charts, not over this bowl\'s contours', async () => {
  const app = await openApp('#problem=quadratic&kappa=100&scheduler=StepLR&lr=0.01');
  const { page } = app;
  await settle(page);
  await page.click('text=Pin run');
  await page.fill(field('kappa'), '10');
  await settle(page);
  const legend = (chart) => page.locator(`figure[data-chart=${chart}] .legend li.ghost`).count();
  assert.equal(await legend('lr'), 1);
  assert.equal(await legend('loss'), 1, 'how conditioning slows the loss is worth comparing');
  assert.equal(await legend('params'), 0, 'its path belongs to another bowl');
  assert.equal(await page.locator('.pins li .pin-note').innerText(), 'another bowl: not in the parameter space');
  // Gradient noise changes the path, not the bowl: that pin is drawn over these contours.
  await page.fill(field('kappa'), '100');
  await page.fill(field('noise'), '0.5');
  await settle(page);
  assert.equal(await legend('params'), 1);
  assert.equal(await page.locator('.pins li .pin-note').count(), 0);
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('the preset menu names the preset on screen, and none once a setting changes', async () => {
  const app = await openApp();
  const { page } = app;
  await settle(page);
  await page.selectOption('#preset', 'plateau');
  await settle(page);
  assert.equal(await page.inputValue('#preset'), 'plateau');
  await page.fill(field('lr'), '0.5');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await settle(page);
  assert.equal(await page.inputValue('#preset'), '', 'an edited preset is no longer named');
  // Picking the same preset again re-applies it.
  await page.selectOption('#preset', 'plateau');
  await settle(page);
  assert.equal(await page.inputValue(field('lr')), '1');
  assert.equal(await page.inputValue('#preset'), 'plateau');
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('sliders announce their values, not their positions', async () => {
  const app = await openApp('#scheduler=StepLR&step_size=10&gamma=0.5&lr=0.1&epochs=50');
  const { page } = app;
  await settle(page);
  assert.equal(await page.getAttribute(slider('gamma'), 'aria-valuetext'), '0.5');
  assert.equal(await page.getAttribute(slider('lr'), 'aria-valuetext'), '0.1');
  assert.equal(await page.getAttribute('#scrubber', 'aria-valuetext'), 'epoch 50 of 50');
  // One arrow key moves one stop (0.001 for gamma) and back again.
  await page.focus(slider('gamma'));
  await page.keyboard.press('ArrowRight');
  await settle(page);
  assert.equal(await page.inputValue(field('gamma')), '0.501');
  assert.equal(await page.getAttribute(slider('gamma'), 'aria-valuetext'), '0.501');
  await page.keyboard.press('ArrowLeft');
  await settle(page);
  assert.equal(await page.inputValue(field('gamma')), '0.5');
  // The log-scale lr slider: Right, Right, Left comes back to the value before.
  await page.focus(slider('lr'));
  await page.keyboard.press('ArrowRight');
  await settle(page);
  const once = await page.inputValue(field('lr'));
  await page.keyboard.press('ArrowRight');
  await settle(page);
  await page.keyboard.press('ArrowLeft');
  await settle(page);
  assert.equal(await page.inputValue(field('lr')), once);
  assert.ok(Number(once) > 0.1 && Number(once) < 0.103, once);
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('understanding card: formula, when to use, and PyTorch code with a working Copy button', async () => {
  const app = await openApp('#scheduler=StepLR&step_size=30&gamma=0.1&lr=0.1&epochs=100', {
    contextOptions: { permissions: ['clipboard-read', 'clipboard-write'] },
  });
  const { page } = app;
  await settle(page);
  assert.match(await page.locator('.understanding .formula').innerText(), /0\.1/);
  assert.ok((await page.locator('.understanding .when').innerText()).length > 10);
  const code = await page.locator('.understanding pre.code').innerText();
  assert.match(code, /StepLR/);
  assert.match(code, /scheduler\.step\(\)/);
  await page.click('button.copy');
  await page.waitForFunction(() => document.querySelector('button.copy').textContent.includes('Copied'));
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(clip.trim(), code.trim());
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('embed mode shows only the requested chart', async () => {
  const app = await openApp('#scheduler=StepLR&step_size=10&lr=0.1&epochs=50&embed=1&show=lr');
  const { page } = app;
  await settle(page);
  assert.equal(await page.locator('header.topbar').isVisible(), false);
  assert.equal(await page.locator('#lr-chart').isVisible(), true);
  assert.equal(await page.locator('#loss-chart').count(), 0);
  assert.equal(await page.locator('.controls').isVisible(), false);
  await app.screenshot('app-embed');
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('usable at 360 px: controls stack above the charts, no sideways scroll', async () => {
  const app = await openApp('', { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 });
  const { page } = app;
  await settle(page);
  const controls = await page.locator('.controls').boundingBox();
  const chart = await page.locator('#lr-chart').boundingBox();
  assert.ok(controls.y + controls.height <= chart.y + 1, 'controls above charts');
  const scrollW = await page.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(scrollW <= 361, `page is ${scrollW}px wide`);
  const backing = await page.$eval('#lr-chart', (c) => c.width / c.getBoundingClientRect().width);
  assert.ok(Math.abs(backing - 2) < 0.05, `backing scale ${backing}`);
  await app.screenshot('app-narrow');
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('dark mode reads its chart colors from CSS', async () => {
  const app = await openApp('', { colorScheme: 'dark' });
  const { page } = app;
  await settle(page);
  const px = await page.$eval('#lr-chart', (c) => Array.from(c.getContext('2d').getImageData(2, 2, 1, 1).data));
  assert.ok(px[0] < 80 && px[1] < 80 && px[2] < 80, `dark chart background ${px}`);
  await app.screenshot('app-dark');
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('the LR legend lists the stability limit only when the chart draws it', async () => {
  const app = await openApp();
  const { page } = app;
  await settle(page);
  const listed = async () => (await page.locator('figure[data-chart=lr] .legend li').allInnerTexts()).includes('stability limit');
  await page.selectOption('#preset', 'divergence'); // lr above 2/λmax: the limit is drawn
  await settle(page);
  assert.equal(await listed(), true);
  await page.selectOption('#preset', 'noise-decay'); // lr far below the limit: off the chart
  await settle(page);
  assert.equal(await listed(), false);
  await page.selectOption('#preset', 'steplr'); // logistic regression: no limit at all
  await settle(page);
  assert.equal(await listed(), false);
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('a run made shorter than the cursor: the scrubber reads its last epoch, as the readout does', async () => {
  const app = await openApp('#scheduler=StepLR&epochs=100');
  const { page } = app;
  await settle(page);
  await page.fill('#scrubber', '79');
  await settle(page);
  assert.equal(await page.locator('.scrub output').innerText(), '80 / 100');
  await page.fill(field('epochs'), '60');
  await settle(page);
  assert.equal(await page.locator('.scrub output').innerText(), '60 / 60');
  assert.equal(await page.getAttribute('#scrubber', 'aria-valuetext'), 'epoch 60 of 60');
  assert.equal(await page.locator('.readout [data-k=epoch] dd').innerText(), '60 of 60');
  // At the last epoch, the cursor follows the end: shorter, then longer, it stays there.
  await page.fill('#scrubber', '30');
  await page.focus('#scrubber');
  await page.keyboard.press('End');
  await settle(page);
  assert.equal(await page.locator('.scrub output').innerText(), '60 / 60');
  await page.fill(field('epochs'), '50');
  await settle(page);
  await page.fill(field('epochs'), '200');
  await settle(page);
  assert.equal(await page.locator('.scrub output').innerText(), '200 / 200');
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('understanding card: the formula\'s counter at the cursor, per-batch stepping, pasted lambdas', async () => {
  const app = await openApp('#scheduler=StepLR&step_size=30&gamma=0.1&lr=0.1&epochs=100');
  const { page } = app;
  await settle(page);
  await page.waitForSelector('.understanding');
  const at = () => page.locator('.understanding .at-cursor').innerText();
  // PyTorch counts epochs from 0: the charts' epoch 31 is epoch = 30 in the formula.
  await page.fill('#scrubber', '30');
  await settle(page);
  assert.equal(await at(), 'At the cursor, epoch 31 of 100: epoch = 30 in the formula, the lr is 0.01.');
  assert.equal(await page.locator('.understanding .counter-note').isHidden(), true);
  // Stepped per batch, `epoch` counts scheduler.step() calls.
  await page.selectOption(`select[data-key="stepping"]`, 'batch');
  await settle(page);
  assert.match(await page.locator('.understanding .counter-note').innerText(), /^Stepped every batch: `epoch` counts scheduler\.step\(\) calls, 8 per epoch/);
  // ReduceLROnPlateau steps once per epoch: no stepping control to choose.
  await page.selectOption('#p-scheduler', 'ReduceLROnPlateau');
  await settle(page);
  assert.equal(await page.locator('[data-key="stepping"]').count(), 0);
  // A pasted Python lambda is neither doubled in the code nor in the formula; math. imports math.
  await page.selectOption('#p-scheduler', 'LambdaLR');
  await settle(page);
  await page.fill(field('lr_lambda'), 'lambda epoch: math.cos(math.pi * epoch / 200)');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await settle(page);
  const code = await page.locator('.understanding pre.code').innerText();
  assert.match(code, /^import torch\nimport math\n/);
  assert.match(code, /lr_lambda=lambda epoch: math\.cos\(math\.pi \* epoch \/ 200\)\)/);
  assert.equal(await page.locator('.understanding .formula').innerText(), 'lr = 0.1 × (math.cos(math.pi * epoch / 200))');
  // SequentialLR: the phase at the cursor, and the counter its formula counts from its milestone.
  await pickScheduler(page, 'SequentialLR');
  await page.fill('#scrubber', '49');
  await settle(page);
  assert.equal(await at(), 'At the cursor, epoch 50 of 100: in phase 2 (CosineAnnealingLR, since milestone 5), epoch = 44 in its formula, the lr is 0.05577.');
  // OneCycleLR with three phases names each one, at PyTorch's end steps.
  await pickScheduler(page, 'OneCycleLR');
  await page.check('#p-three_phase');
  await settle(page);
  assert.match(await page.locator('.understanding .formula').innerText(), /0\.004 → 0\.1 by step 239, 0\.1 → 0\.004 by step 478, then 0\.004 → 4e-7 by step 799/);
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('T_max follows the run\'s length from picking CosineAnnealingLR until the user sets it', async () => {
  const app = await openApp();
  const { page } = app;
  await settle(page);
  await page.selectOption('#p-scheduler', 'CosineAnnealingLR');
  await settle(page);
  assert.equal(await page.inputValue(field('T_max')), '100');
  await commit(page, 'epochs', '60');
  assert.equal(await page.inputValue(field('T_max')), '60', 'follows the epochs');
  await commit(page, 'T_max', '30');
  await commit(page, 'epochs', '50');
  assert.equal(await page.inputValue(field('T_max')), '30', 'a T_max the user set stays');
  // Passing through the user's value does not make it follow again.
  await commit(page, 'epochs', '30');
  await commit(page, 'epochs', '31');
  assert.equal(await page.inputValue(field('T_max')), '30');
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('a scheduler switched away from comes back as the user left it; a preset starts afresh', async () => {
  const app = await openApp();
  const { page } = app;
  await settle(page);
  await commit(page, 'gamma', '0.5');
  await commit(page, 'step_size', '20');
  const tuned = await summaryText(page, 'lr');
  assert.equal(tuned, 'LR starts at 0.1, ends at 0.00625; drops after 20, 40, 60, 80 epochs.');
  await pickScheduler(page, 'ExponentialLR');
  const expGamma = await page.inputValue(field('gamma'));
  assert.notEqual(expGamma, '0.5', 'a first pick shows the defaults');
  await pickScheduler(page, 'StepLR');
  assert.equal(await page.inputValue(field('gamma')), '0.5');
  assert.equal(await page.inputValue(field('step_size')), '20');
  assert.equal(await summaryText(page, 'lr'), tuned);
  assert.match(page.url(), /gamma=0\.5/);
  // One first picked in this session comes back too.
  await pickScheduler(page, 'ExponentialLR');
  await commit(page, 'gamma', '0.8');
  await pickScheduler(page, 'StepLR');
  await pickScheduler(page, 'ExponentialLR');
  assert.equal(await page.inputValue(field('gamma')), '0.8');
  // Undo of a reset brings back the set-up and what was put away with it.
  await page.locator('body').press('r');
  await settle(page);
  assert.equal(await page.inputValue(field('gamma')), '0.1', 'reset to the defaults (StepLR)');
  await page.click('.toast button.undo');
  await settle(page);
  assert.equal(await page.inputValue(field('gamma')), '0.8');
  await pickScheduler(page, 'StepLR');
  assert.equal(await page.inputValue(field('gamma')), '0.5');
  // A preset is a new set-up: its schedulers start from PyTorch's defaults.
  await page.selectOption('#preset', 'plateau');
  await settle(page);
  await pickScheduler(page, 'StepLR');
  assert.equal(await page.inputValue(field('gamma')), '0.1');
  assert.equal(await page.inputValue(field('step_size')), '30');
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('a refused field is tried again when another edit makes it valid: what the fields show is what runs', async () => {
  const app = await openApp('#batch_size=100');
  const { page } = app;
  await settle(page);
  const before = await summaryText(page, 'params');
  await commit(page, 'points', '50');
  assert.match(await page.textContent('#p-points-err'), /`batch_size` must be at most the 40 training points, got 100/);
  assert.equal(await summaryText(page, 'params'), before, 'the last valid run stays');
  await commit(page, 'batch_size', '10');
  assert.equal(await page.textContent('#p-points-err'), '');
  assert.equal(await page.inputValue(field('points')), '50');
  // 40 training points in batches of 10: 4 steps per epoch, 100 epochs.
  assert.match(await summaryText(page, 'params'), / in 400 steps/);
  assert.match(page.url(), /points=50/);

  // nesterov needs momentum: ticked at momentum 0 it is refused, then applies with momentum.
  await page.check('#p-nesterov');
  await settle(page);
  assert.match(await page.textContent('#p-nesterov-err'), /momentum/);
  await commit(page, 'momentum', '0.9');
  assert.equal(await page.textContent('#p-nesterov-err'), '');
  assert.ok(await page.isChecked('#p-nesterov'));
  assert.match(page.url(), /nesterov=(1|true|True)/);
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('a refused checkbox shows the run\'s value again once a reset or preset clears its error', async () => {
  const app = await openApp('#scheduler=StepLR');
  const { page } = app;
  await settle(page);
  await page.check('#p-nesterov');
  await settle(page);
  assert.match(await page.textContent('#p-nesterov-err'), /momentum/);
  assert.ok(await page.isChecked('#p-nesterov'), 'what the user chose stays on screen beside its error');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('r');
  await settle(page);
  assert.equal(await page.textContent('#p-nesterov-err'), '');
  assert.equal(await page.isChecked('#p-nesterov'), false, 'the run has no nesterov: the box says so');
  // Undo brings the refused choice back with its message; r clears it again.
  await page.click('.toast button.undo');
  await settle(page);
  assert.ok(await page.isChecked('#p-nesterov'));
  assert.match(await page.textContent('#p-nesterov-err'), /momentum/);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('r');
  await settle(page);
  assert.equal(await page.isChecked('#p-nesterov'), false);
  // Setting momentum afterwards does not bring the old refusal back.
  await commit(page, 'momentum', '0.5');
  assert.equal(await page.isChecked('#p-nesterov'), false);
  assert.doesNotMatch(page.url(), /nesterov/);
  // The same after a preset.
  await commit(page, 'momentum', '0');
  await page.check('#p-nesterov');
  await settle(page);
  await page.selectOption('#preset', 'plateau');
  await settle(page);
  assert.equal(await page.isChecked('#p-nesterov'), false);
  assert.deepEqual(app.errors(), []);
  await app.close();
});

test('on a log scale the LR summary says where an lr of 0 is drawn on the bottom line', async () => {
  const app = await openApp('#scheduler=PolynomialLR&total_iters=50&power=1&log_lr=1');
  const { page } = app;
  await settle(page);
  assert.equal(await summaryText(page, 'lr'), 'LR starts at 0.1, ends at 0. An lr of 0 (first after 50 epochs) is drawn on the bottom line: a log scale has no 0.');
  await page.uncheck('#log-lr');
  await settle(page);
  assert.equal(await summaryText(page, 'lr'), 'LR starts at 0.1, ends at 0.');
  assert.deepEqual(app.errors(), []);
  await app.close();
});
