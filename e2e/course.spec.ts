// The course's architecture lessons (pre-activation, ResNeXt, SE, FractalNet), each opened fresh with ?quick and run
// with Run all on real WebGPU: no error output, every parameter count equal to the published one (or to the one the
// lesson derives), the worked examples' shapes and exact identities, and in each training cell a loss that falls.
import { expect, test, type Page } from '@playwright/test';
import { cellNumber, expectLossFalls, numberAfter, runLesson, text, LESSON_LAUNCH } from './helpers/lessons';

test.use({ launchOptions: LESSON_LAUNCH });

// SwiftShader compiles every new GPU program on the CPU: a lesson's first training step alone can take a minute.
const LESSON_TIMEOUT = 540_000;

/** The text of the lesson's cell with this id. */
async function outputOf(page: Page, lesson: string, cellId: string): Promise<string> {
  return text(page, cellNumber(lesson, cellId));
}

// Every lesson file ending with its link is tests/lessons/lesson-files.test.ts; here one such link is followed on the page.
test('the index lists the course in order with its minutes, and a lesson\'s closing link opens the next', async ({ page }) => {
  const course = ['welcome', 'fashion-mnist', 'resnet', 'preactivation', 'resnext', 'densenet', 'senet', 'fractalnet', 'kernels'];
  await page.goto('/#/');
  const entries = page.locator('li.lesson-entry');
  await expect(entries).toHaveCount(course.length);
  expect(await entries.evaluateAll((items) => items.map((item) => item.getAttribute('data-lesson-id')))).toEqual(course);
  for (const minutes of await entries.locator('.lesson-minutes').allInnerTexts()) expect(minutes).toMatch(/^\d+ min$/);
  await page.goto('/#/lesson/senet');
  await page.locator('section.cell').last().locator('a[href="#/lesson/fractalnet"]').click();
  await expect(page).toHaveURL(/#\/lesson\/fractalnet$/);
  await expect(page.locator('section.cell').first()).toContainText('FractalNet');
});

test.describe('course lessons on WebGPU', () => {
  test.setTimeout(LESSON_TIMEOUT + 60_000);

  test('Pre-activation: an exact identity block, ResNet-34 v1 = torchvision and v2 accounted for, both train with gradient probes', async ({ page }) => {
    const lesson = 'preactivation';
    await runLesson(page, lesson, LESSON_TIMEOUT);
    expect(await outputOf(page, lesson, 'pre-blocks')).toContain('parameters: v1 4672 · v2 4672');
    const identity = await outputOf(page, lesson, 'pre-identity');
    // A silenced v2 block is the identity to the last bit; a silenced v1 block is exactly ReLU, which changes x.
    expect(numberAfter(identity, 'v2, branch silenced: max |y − x|       =')).toBe(0);
    expect(numberAfter(identity, 'max |y − ReLU(x)| =')).toBe(0);
    expect(numberAfter(identity, 'v1, branch silenced: max |y − x|       =')).toBeGreaterThan(0);
    const counts = await outputOf(page, lesson, 'pre-count');
    expect(counts).toMatch(/total\s+21,797,672\s+21,796,008/);
    expect(counts).toContain('v1 matches torchvision: true; conv and fc weights equal: true; v2 − v1 = -1664');
    expect(await outputOf(page, lesson, 'pre-setup')).toContain('QUICK test run: ResNet-8 v1 and v2 (widths 4, 8, 16), 256 training images × 1 epoch(s) each, batch 32, Adam lr 0.01, tested on 64');
    await expectLossFalls(page, lesson, 'pre-train-v1');
    await expectLossFalls(page, lesson, 'pre-train-v2');
    const grads = await outputOf(page, lesson, 'pre-grads');
    for (const block of ['layer1.0', 'layer2.0', 'layer3.0']) {
      const [, v1, v2] = new RegExp(`${block.replace('.', '\\.')}\\s+(\\S+)\\s+(\\S+)`).exec(grads) ?? [];
      expect(Number(v1), `${block} v1`).toBeGreaterThan(0);
      expect(Number(v2), `${block} v2`).toBeGreaterThan(0);
    }
    expect(grads).toMatch(/first block ÷ last block: v1 \d+\.\d+, v2 \d+\.\d+/);
  });

  test('ResNeXt: grouped conv = four convs, the equal-cost templates, ResNeXt-50 = torchvision, ResNet and ResNeXt train', async ({ page }) => {
    const lesson = 'resnext';
    await runLesson(page, lesson, LESSON_TIMEOUT);
    const grouped = await outputOf(page, lesson, 'rx-grouped');
    expect(grouped).toContain('kernel [3,3,2,8] · output [2,8,8,8]');
    expect(grouped).toContain('parameters: grouped 144 · a full 3×3 convolution 8 → 8: 576');
    expect(numberAfter(grouped, 'max |grouped − four separate convolutions| =')).toBeLessThan(1e-4);
    const templates = await outputOf(page, lesson, 'rx-tradeoff');
    // ResNet-50's first-stage bottleneck and the 32×4d one: about 70k parameters each (the paper's Table 2).
    expect(templates).toMatch(/1 × 64d\s+64\s+70,400\s+0\.437/);
    expect(templates).toMatch(/32 × 4d\s+128\s+71,168\s+0\.440/);
    expect(await outputOf(page, lesson, 'rx-count')).toContain("torchvision's resnext50_32x4d has 25,028,904 parameters: equal");
    const setup = await outputOf(page, lesson, 'rx-setup');
    expect(setup).toContain('ResNet  (C = 1): 9,026 parameters, 2.15 MFLOPs per image');
    expect(setup).toContain('ResNeXt (C = 4): 8,666 parameters, 2.08 MFLOPs per image');
    await expectLossFalls(page, lesson, 'rx-train-resnet');
    await expectLossFalls(page, lesson, 'rx-train-resnext');
  });

  test('SENet: SE by hand = nn.seBlock, SE-ResNet-50 = the published count and the formula, the twins train, gates per class', async ({ page }) => {
    const lesson = 'senet';
    await runLesson(page, lesson, LESSON_TIMEOUT);
    const byHand = await outputOf(page, lesson, 'se-by-hand');
    expect(byHand).toContain('fc1 [64,4] · fc2 [4,64] · squeeze [2,64] · gates [2,64] · output [2,6,6,64]');
    expect(numberAfter(byHand, 'max |nn.seBlock − by hand| =')).toBeLessThan(1e-4);
    expect(byHand).toContain('SE parameters: 580');
    expect(await outputOf(page, lesson, 'se-module')).toContain('SE adds 8,464 parameters');
    const counts = await outputOf(page, lesson, 'se-count');
    expect(counts).toContain("SE-ResNet-50: 28,088,024 parameters (timm's seresnet50: 28,088,024: equal)");
    expect(counts).toContain("ResNet-50:    25,557,032 parameters (torchvision's resnet50: 25,557,032: equal)");
    expect(counts).toContain("SE's parameters by the formula: 2,530,992; counted: 2,530,992");
    await expectLossFalls(page, lesson, 'se-train-plain');
    await expectLossFalls(page, lesson, 'se-train-se');
    // One row per SE block of the QUICK net (one block per stage), each mean gate a sigmoid's value.
    const gates = (await outputOf(page, lesson, 'se-gates')).split('\n').filter((line) => /^layer\d\.\d\/se\s+\d/.test(line));
    expect(gates).toHaveLength(3);
    for (const row of gates) {
      const mean = Number(row.split(/\s+/)[1]);
      expect(mean).toBeGreaterThan(0);
      expect(mean).toBeLessThan(1);
    }
  });

  test('FractalNet: the rule matches nn.fractalJoins, a join is a mean, drop-path is half global, it trains and each column runs alone', async ({ page }) => {
    const lesson = 'fractalnet';
    await runLesson(page, lesson, LESSON_TIMEOUT);
    const drawing = await outputOf(page, lesson, 'fr-draw');
    for (const columns of [1, 2, 3, 4]) expect(drawing).toContain(`as nn.fractalJoins(${columns}): true`);
    const join = await outputOf(page, lesson, 'fr-join');
    expect(join).toContain('output [2,8,8,8] · parameters 1776');
    expect(numberAfter(join, 'max |block − (column 0 + column 1) / 2| =')).toBeLessThan(1e-5);
    const globalShare = numberAfter(await outputOf(page, lesson, 'fr-droppath'), '10,000 batches:');
    expect(globalShare).toBeGreaterThan(45);
    expect(globalShare).toBeLessThan(55);
    expect(await outputOf(page, lesson, 'fr-setup')).toContain('QUICK test run: FractalNet, 3 blocks × 3 columns, channels 4, 8, 16, 17,086 parameters, 512 training images');
    await expectLossFalls(page, lesson, 'fr-train');
    const columns = (await outputOf(page, lesson, 'fr-columns')).split('\n').filter((line) => /%\s+\(64 images\)$/.test(line));
    expect(columns.map((line) => line.split(/\s{2,}/)[0])).toEqual(['all columns, joined', 'column 0 alone', 'column 1 alone', 'column 2 alone']);
  });
});
