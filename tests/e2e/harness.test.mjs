// Tests of the harness helpers themselves, on markup given with page.setContent (no dist/ needed).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { blankPage, closeAll, dragSlider, canvasHash, summaryText } from './harness.mjs';

after(closeAll);

const MARKUP = `
  <input id="a" type="range" min="0" max="1" step="0.01" value="0.1" style="width:300px">
  <input id="b" type="range" min="1" max="200" step="1" value="30" style="width:160px">
  <output id="events">0</output>
  <canvas id="c" width="40" height="20" data-chart="lr" aria-describedby="lr-desc"></canvas>
  <p id="lr-desc">LR  falls
    by 10x</p>
  <p data-summary-for="loss">Loss goes down.</p>
  <script>
    let n = 0;
    for (const el of document.querySelectorAll('input')) el.addEventListener('input', () => {
      document.getElementById('events').textContent = String(++n);
    });
  </script>`;

test('dragSlider lands exactly on the target with the mouse (and fires input events)', async () => {
  const { page, close } = await blankPage();
  await page.setContent(MARKUP);
  assert.equal(await dragSlider(page, '#a', 0.73), 0.73);
  assert.equal(await dragSlider(page, '#b', 12), 12);
  assert.equal(await dragSlider(page, '#b', 200), 200);
  assert.equal(await dragSlider(page, '#b', 1000), 200, 'clamped to max');
  assert.equal(await dragSlider(page, '#a', 0), 0);
  assert.ok(Number(await page.locator('#events').textContent()) >= 4, 'input events fired');
  await close();
});

test('canvasHash tells pixels apart; summaryText finds both summary conventions', async () => {
  const { page, close } = await blankPage();
  await page.setContent(MARKUP);
  const h0 = await canvasHash(page, '#c');
  assert.match(h0, /^[0-9a-f]{64}$/);
  assert.equal(await canvasHash(page, '#c'), h0, 'stable');
  await page.evaluate(() => { const x = document.getElementById('c').getContext('2d'); x.fillRect(0, 0, 5, 5); });
  assert.notEqual(await canvasHash(page, '#c'), h0);
  assert.equal(await summaryText(page, 'lr'), 'LR falls by 10x');
  assert.equal(await summaryText(page, 'loss'), 'Loss goes down.');
  assert.equal(await summaryText(page, 'nope'), null);
  await close();
});
