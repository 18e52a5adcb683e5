// The task page as the CLI users run serves it (bin/ on dist/cli/, where the bundle's chunks sit far
// from src/mocks/coderd/web/assets/), and a broken install: a 500 naming the missing file, never an
// empty 200.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_PAGE_FILE, WEB_ASSET_FILES } from '../../src/mocks/coderd/web/routes.ts';
import { startServingCli, type ServingCli } from '../support/cli.ts';
import { HAS_CHROMIUM, launchChromium, waitForText } from '../support/browser.ts';

const ROOT = resolve(import.meta.dirname, '../..');

describe('mock coderd run from dist/ (bin/agentapi-kit.mjs) serves the task page and every asset', () => {
  let coderd: ServingCli;
  beforeAll(async () => {
    coderd = await startServingCli(['mock', 'coderd', '--port', '0']);
  });
  afterAll(() => coderd.stop());

  it('the page at taskPageUrl is the whole HTML document', async () => {
    const page = await fetch(coderd.first.taskPageUrl as string);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(Number(page.headers.get('content-length'))).toBe(Buffer.byteLength(html));
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('src="/web/main.js"');
  });

  it.each(WEB_ASSET_FILES)('/web/%s is served with its bytes from src/mocks/coderd/web/assets/', async (name) => {
    const response = await fetch(`${coderd.first.url}/web/${name}`);
    expect(response.status).toBe(200);
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.equals(readFileSync(join(ROOT, 'src/mocks/coderd/web/assets', name)))).toBe(true);
  });
});

describe.skipIf(!HAS_CHROMIUM)('mock coderd --live-agentapi run from dist/, its task page in headless Chromium (needs /usr/bin/chromium)', () => {
  it('shows the live conversation of the mock AgentAPI run from dist/ too', async () => {
    const agentapi = await startServingCli(['mock', 'agentapi', '--port', '0', '--preset', 'short']);
    const coderd = await startServingCli(['mock', 'coderd', '--port', '0', '--live-agentapi', agentapi.first.url as string]);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(coderd.first.taskPageUrl as string);
      await waitForText(page, '#state-badge', 'Live');
      expect(await page.locator('.message').count()).toBeGreaterThan(0);
    } finally {
      await browser.close();
      expect(await coderd.stop()).toEqual({ code: 0, stderr: '' });
      expect(await agentapi.stop()).toEqual({ code: 0, stderr: '' });
    }
  });
});

describe('a copy of the package with page files missing (bin/ on dist/ in the copy)', () => {
  const copy = mkdtempSync(join(tmpdir(), 'agentapi-kit-broken-install-'));
  const assets = join(copy, 'src/mocks/coderd/web/assets');
  let coderd: ServingCli;
  beforeAll(async () => {
    for (const part of ['package.json', 'bin', 'dist', 'src']) cpSync(join(ROOT, part), join(copy, part), { recursive: true });
    for (const part of ['node_modules', 'templates', 'modules']) symlinkSync(join(ROOT, part), join(copy, part));
    unlinkSync(join(assets, 'main.js'));
    unlinkSync(join(assets, TASK_PAGE_FILE));
    coderd = await startServingCli(['mock', 'coderd', '--port', '0'], { bin: join(copy, 'bin/agentapi-kit.mjs') });
  });
  afterAll(async () => {
    await coderd?.stop();
    rmSync(copy, { recursive: true, force: true });
  });

  it('answers the page with 500 and a sentence naming the missing file', async () => {
    const page = await fetch(coderd.first.taskPageUrl as string);
    expect(page.status).toBe(500);
    expect(await page.text()).toBe(`The task page cannot be served: its file ${join(assets, TASK_PAGE_FILE)} is missing from this agentapi-kit installation (reinstall agentapi-kit).\n`);
  });

  it('answers a missing asset with 500 naming it, and still serves the ones present', async () => {
    const missing = await fetch(`${coderd.first.url}/web/main.js`);
    expect(missing.status).toBe(500);
    expect(await missing.text()).toContain(`its file ${join(assets, 'main.js')} is missing`);
    expect((await fetch(`${coderd.first.url}/web/render.js`)).status).toBe(200);
  });

  it('an asset the page never had is still a plain 404', async () => {
    expect((await fetch(`${coderd.first.url}/web/nothing.js`)).status).toBe(404);
  });
});
