// naughty.mjs — every line of the Big List of Naughty Strings (tests/data/
// blns.txt) as a person's display name through the Dashboard API: each is
// stored and read back byte for byte (201) or refused with a 400 naming the
// field (control characters, too long) — never a 500, never a hub that stops
// answering; then the People page shows the stored names as text (no markup
// from a name becomes an element). Also malformed JSON bodies get 400.
// Env: HUB_URL, OUT.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HUB, Api, launch, check, assert, failures } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const lines = readFileSync(join(root, 'tests', 'data', 'blns.txt'), 'utf8').split('\n')
  .filter((l) => l.length > 0 && !l.startsWith('#'));
const api = new Api(HUB);
await api.login('demo@presentie.test', 'presentie-demo');
const stored = [];
await check(`blns: ${lines.length} naughty display names are stored exactly or refused with 400`, async () => {
  const bad = [];
  for (const name of lines) {
    const r = await api.req('POST', '/v1/dash/people', { display_name: name, first_name: 'X', lang: 'nl' });
    if (r.status === 201) {
      const back = await api.req('GET', `/v1/dash/people/${encodeURIComponent(r.json.id)}`);
      if (back.status !== 200 || back.json.display_name !== name) bad.push(`readback ${JSON.stringify(name)}`);
      else stored.push(r.json.id);
    } else if (r.status !== 400 || !/display_name/.test(r.json && r.json.message)) {
      bad.push(`${r.status} for ${JSON.stringify(name).slice(0, 40)}`);
    }
  }
  assert(bad.length === 0, bad.slice(0, 5).join('; '));
  assert(stored.length > lines.length / 2, `only ${stored.length} stored`);
});
await check('blns: the search box takes naughty queries (200 or 400, never 500)', async () => {
  for (const q of lines.slice(0, 200)) {
    const r = await api.req('GET', `/v1/dash/people?q=${encodeURIComponent(q)}`);
    assert(r.status === 200 || r.status === 400, `${r.status} for ${JSON.stringify(q)}`);
  }
});
await check('search: % and _ are literal characters, not wildcards', async () => {
  for (const q of ['%', '_']) {
    const r = await api.req('GET', `/v1/dash/people?q=${encodeURIComponent(q)}`);
    assert(r.status === 200 && r.json.people.every((p) => p.display_name.includes(q)), `${q}: ${r.status}`);
  }
});
await check('malformed bodies and wrong types are 400, and the hub still answers', async () => {
  for (const body of ['{', '[]', '{"display_name": 5}', '{"display_name": "a", "display_name": "b"}', '\u0000', 'null']) {
    const r = await fetch(`${HUB}/v1/dash/people`, { method: 'POST', body,
      headers: { Cookie: api.cookie, 'X-CSRF-Token': api.csrf, 'Content-Type': 'application/json' } });
    assert(r.status === 400, `${r.status} for ${JSON.stringify(body)}`);
  }
  assert((await api.req('GET', '/v1/dash/today')).status === 200, 'hub down');
});
await check('the People page shows naughty names as text, never as markup', async () => {
  const browser = await launch();
  const page = await (await browser.newContext()).newPage();
  let dialogs = 0;
  page.on('dialog', async (d) => { dialogs++; await d.dismiss(); });
  await page.goto(`${HUB}/`);
  await page.fill('input[type=email]', 'demo@presentie.test');
  await page.fill('input[type=password]', 'presentie-demo');
  await page.click('button[type=submit]');
  await page.waitForSelector('#today-body');
  await page.evaluate(() => { location.hash = '#/people'; });
  await page.waitForSelector('main table tbody tr');
  const injected = await page.evaluate(() => document.querySelectorAll('main table img, main table script, main table iframe, main table svg, main table marquee').length);
  const rows = await page.locator('main table tbody tr').count();
  await browser.close();
  assert(injected === 0 && dialogs === 0, `${injected} injected elements, ${dialogs} dialogs`);
  assert(rows >= stored.length, `${rows} rows for ${stored.length} people`);
});
process.exit(failures() ? 1 : 0);
