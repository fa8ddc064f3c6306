// import.mjs — issue 12 point 1 in headless Chromium: on the People page a
// coordinator imports a Dutch-Excel CSV (';', BOM) and an .xlsx (made by
// openpyxl), sees the preview, imports, and finds the people in the list; a
// file with problems shows each with its line number and keeps "Importeren"
// disabled (nothing stored); the Big List of Naughty Strings as names: the
// refused lines listed, the rest imported byte for byte and shown as text
// (no dialog opens); axe-core clean; screenshots at 1366x768 and
// 390x844 (OUT/screens/import-*.png). Env: HUB_URL, OUT.
import { writeFileSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { HUB, OUT, launch, check, assert, axe, failures, join } from './lib.mjs';

const DEMO = { email: 'demo@presentie.test', password: 'presentie-demo' };
const SIZES = [{ name: '1366x768', width: 1366, height: 768 }, { name: '390x844', width: 390, height: 844 }];
const stamp = Date.now().toString(36);
const files = {
  csv: join(OUT, 'import-nl.csv'), xlsx: join(OUT, 'import.xlsx'), bad: join(OUT, 'import-bad.csv'),
};
writeFileSync(files.csv, `\ufeffperson_id;display_name;language\r\nbi-${stamp}-1;"Samira ""Sam"" El Amrani";ar\r\n`
  + `bi-${stamp}-2;Jan-Willem van 't Hof;nl\r\n`);
writeFileSync(files.bad, `person_id;display_name;language\r\nbe-${stamp}-1;Goed;nl\r\nbe-${stamp}-2;;nl\r\n`
  + `be-${stamp}-3;Taal fout;klingon-long\r\n`);
// The Big List of Naughty Strings as display names, one person per line.
const blns = readFileSync(new URL('../data/blns.txt', import.meta.url), 'utf8').split('\n')
  .filter((l) => l !== '' && !l.startsWith('#'));
const cell = (v) => `"${v.replace(/"/g, '""')}"`;
const blnsCsv = (keep) => `person_id;display_name;language\r\n${blns.map((l, i) => [i, l])
  .filter(([i]) => keep(i)).map(([i, l]) => `bn-${stamp}-${i};${cell(l)};nl`).join('\r\n')}\r\n`;
files.blns = join(OUT, 'import-blns.csv');
writeFileSync(files.blns, blnsCsv(() => true));
execFileSync('/usr/bin/python3', ['-c', `
import sys, openpyxl
wb = openpyxl.Workbook(); ws = wb.active
ws.append(["person_id", "display_name", "language"])
ws.append(["bx-${stamp}-1", "Ayşe Yılmaz", "tr"])
ws.append(["bx-${stamp}-2", "Ольга Коваленко", "uk"])
wb.save(sys.argv[1])`, files.xlsx]);

const browser = await launch();
const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' });
const page = await ctx.newPage();
const consoleErrors = [];
page.on('pageerror', (e) => consoleErrors.push(String(e)));
page.on('dialog', (d) => { consoleErrors.push(`a dialog opened: ${d.message()}`); d.dismiss().catch(() => {}); });
const a11y = async () => {
  const v = await axe(page);
  assert(v.length === 0, `${v.length} serious/critical: ${JSON.stringify(v).slice(0, 400)}`);
};
const screens = async (name) => {
  for (const s of SIZES) {
    await page.setViewportSize({ width: s.width, height: s.height });
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(OUT, 'screens', `${name}-${s.name}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1366, height: 768 });
};
// Choose kind and file; wait until the form shows the summary this file
// must give (choosing the kind checks the previous file again, so "the
// next dry-run answer" may be the previous file's: wait for the words).
const choose = async (kind, path, summary) => {
  await page.selectOption('select[name=kind]', kind);
  await page.setInputFiles('input[type=file]', path);
  await page.waitForFunction((want) => document.querySelector('form')?.textContent.includes(want),
    summary, { timeout: 60000 });
};

await check('import: log in and open People → Importeren', async () => {
  await page.goto(`${HUB}/`);
  await page.fill('input[type=email]', DEMO.email);
  await page.fill('input[type=password]', DEMO.password);
  await page.click('button[type=submit]');
  await page.waitForSelector('nav');
  await page.evaluate(() => { location.hash = '#/people'; });
  await page.click('a[href="#/people/import"]');
  await page.waitForSelector('input[type=file]');
  assert(await page.isDisabled('form button[type=submit]'), 'Importeren enabled before a file is chosen');
});
await check('import: axe clean on the empty import page', a11y);
await screens('import-empty');

await check('import: a file with problems lists them by line, Importeren stays disabled', async () => {
  await choose('people', files.bad, '3 regels gelezen, 2 problemen');
  const text = await page.textContent('form');
  assert(/3 regels gelezen, 2 problemen/.test(text), text.slice(0, 300));
  const lines = await page.$$eval('form table', (ts) => [...ts[0].querySelectorAll('tbody tr')].map((tr) => tr.cells[0].textContent));
  assert(lines.join() === '3,4', `problem lines ${lines}`);
  assert(/verplicht, maar leeg/.test(text) && /langer dan 7 bytes/.test(text), 'problems in Dutch');
  assert(await page.isDisabled('form button[type=submit]'), 'Importeren enabled with problems');
});
await check('import: axe clean with problems and preview shown', a11y);
await screens('import-problems');

await check('import: a Dutch Excel CSV (; and BOM) previews and imports', async () => {
  await choose('people', files.csv, '2 regels gelezen, 0 problemen');
  assert(/2 regels gelezen, 0 problemen/.test(await page.textContent('form')), 'summary');
  assert((await page.textContent('form table')).includes('Samira "Sam" El Amrani'), 'preview name');
  assert(await page.isEnabled('form button[type=submit]'), 'Importeren disabled');
  await page.click('form button[type=submit]');
  await page.waitForSelector('form .msg.ok:has-text("2 regels geïmporteerd")');
});
await screens('import-done');

await check('import: an .xlsx previews and imports', async () => {
  await choose('people', files.xlsx, '2 regels gelezen, 0 problemen');
  assert((await page.textContent('form table')).includes('Ольга Коваленко'), 'preview name');
  await page.click('form button[type=submit]');
  await page.waitForSelector('form .msg.ok:has-text("2 regels geïmporteerd")');
});
await check('import: the imported people are in the list, the refused file stored nothing', async () => {
  const r = await page.evaluate(async () => (await fetch('/v1/dash/people')).json());
  const names = r.people.map((p) => p.display_name);
  for (const n of ['Samira "Sam" El Amrani', "Jan-Willem van 't Hof", 'Ayşe Yılmaz', 'Ольга Коваленко']) assert(names.includes(n), `missing ${n}`);
  assert(!r.people.some((p) => p.id.startsWith(`be-${stamp}`)), 'a person of the refused file was stored');
});
await check('import: the Big List of Naughty Strings: problems by line, nothing stored; the rest imports exactly', async () => {
  await page.selectOption('select[name=kind]', 'people');
  // this file's dry run (all its lines read), not an earlier file's
  const answer = page.waitForResponse(async (x) => x.url().includes('/v1/dash/import/')
    && x.url().includes('dry_run=1') && (await x.json().catch(() => ({}))).rows === blns.length);
  await page.setInputFiles('input[type=file]', files.blns);
  const r = await (await answer).json();
  await page.waitForFunction((n) => new RegExp(`${n} regels gelezen, [1-9]\\d* problemen`).test(
    document.querySelector('form').textContent), blns.length, { timeout: 90000 });
  const text = await page.textContent('form');
  const m = /(\d+) regels gelezen, (\d+) problemen/.exec(text);
  assert(m && Number(m[1]) === blns.length && Number(m[2]) > 0, `summary: ${text.slice(0, 200)}`);
  assert(await page.isDisabled('form button[type=submit]'), 'Importeren enabled with problems');
  // the lines the hub refused (line 1 is the header), from the page's own dry run
  const bad = new Set((r.errors || []).map((e) => e.line - 2));
  assert(bad.size > 0 && bad.size < blns.length, `refused ${bad.size} of ${blns.length}`);
  files.blnsOk = join(OUT, 'import-blns-ok.csv');
  writeFileSync(files.blnsOk, blnsCsv((i) => !bad.has(i)));
  await choose('people', files.blnsOk, `${blns.length - bad.size} regels gelezen, 0 problemen`);
  // the page shows this file's dry run once the summary counts its lines with no problem
  await page.waitForFunction((n) => new RegExp(`${n} regels gelezen, 0 problemen`).test(
    document.querySelector('form').textContent), blns.length - bad.size, { timeout: 30000 });
  assert(await page.isEnabled('form button[type=submit]'), 'Importeren disabled for the accepted lines');
  await page.click('form button[type=submit]');
  await page.waitForSelector(`form .msg.ok:has-text("${blns.length - bad.size} regels geïmporteerd")`);
  const list = await page.evaluate(async () => (await fetch('/v1/dash/people')).json());
  const stored = new Map(list.people.filter((p) => p.id.startsWith(`bn-${stamp}-`)).map((p) => [p.id, p.display_name]));
  // the list is bounded: look up the ones it did not show one by one
  for (const i of blns.keys()) {
    const id = `bn-${stamp}-${i}`;
    if (bad.has(i) || stored.has(id)) continue;
    const one = await page.evaluate(async (x) => (await fetch(`/v1/dash/people/${encodeURIComponent(x)}`)).json(), id);
    stored.set(id, one.display_name ?? (one.person || {}).display_name);
  }
  const wrong = blns.map((l, i) => [i, l]).filter(([i]) => !bad.has(i))
    .filter(([i, l]) => stored.get(`bn-${stamp}-${i}`) !== l);
  assert(wrong.length === 0, `${wrong.length} names not stored exactly, e.g. ${JSON.stringify(wrong.slice(0, 2))}`);
});
await check('import: axe clean after the naughty import', a11y);

await check('import: English labels', async () => {
  await page.selectOption('#lang', 'en').catch(() => {});
  await page.waitForTimeout(200);
  await page.evaluate(() => { location.hash = '#/people/import'; });
  await page.waitForSelector('input[type=file]');
  const t = await page.textContent('main');
  assert(/Import from Excel/.test(t) && /What are you importing/.test(t), t.slice(0, 200));
  await page.selectOption('#lang', 'nl').catch(() => {});
});
await check('import: no page errors', () => assert(consoleErrors.length === 0, consoleErrors.join(' | ')));
await browser.close();
process.exit(failures() ? 1 : 0);
