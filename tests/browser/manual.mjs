// manual.mjs — presence marked by hand on the presentielijst (issue 14
// point 14): for yesterday's session (made here) a coordinator, by keyboard
// only, marks an expected absent person present ("Handmatig aanwezig
// melden"), fills in the forgotten departure time of a person present
// without check-out ("Vertrektijd invullen": a wrong time is refused in
// Dutch, a right one stored), sees both rows marked "handmatig", and
// withdraws the mark; each step announced; what the hub stores checked by
// its API. axe-core clean and no horizontal scroll at 1366x768 and 390x844.
// Env: HUB_URL, OUT.
import { HUB, OUT, Api, launch, check, assert, axe, failures, join } from './lib.mjs';
import { mkdirSync } from 'node:fs';

mkdirSync(join(OUT, 'screens'), { recursive: true });
const browser = await launch();
const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'nl-NL' })).newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));
const api = new Api(HUB);
await api.login('demo@presentie.test', 'presentie-demo');

const TZ = 'Europe/Amsterdam';
const yesterday = new Intl.DateTimeFormat('sv-SE', { timeZone: TZ }).format(new Date(Date.now() - 86400000));
let sid = '';
let a = null, b = null;
const live = () => page.evaluate(() => (document.getElementById('live') || {}).textContent || '');
const row = async (pid) => (await api.req('GET', `/v1/dash/reports/presentielijst?session=${sid}`)).json.rows
  .find((r) => r.person_id === pid);

await check('manual: yesterday\'s session with three expected people, one present without check-out', async () => {
  const setup = (await api.req('GET', '/v1/dash/setup')).json;
  const p = await api.req('POST', '/v1/dash/programmes', { title: 'Naaiatelier (handmatig)' });
  assert(p.status === 201 || p.status === 200, p.status);
  const r = await api.req('POST', '/v1/dash/sessions', { programme_id: p.json.id, location_id: setup.locations[0].id,
    title: 'Naaiatelier', room: 'Zaal 1', kind: 'group', date: yesterday, start: '10:00', end: '12:00' });
  assert(r.status === 201, `${r.status} ${r.text.slice(0, 200)}`);
  sid = r.json.sessions[0].id;
  const all = (await api.req('GET', '/v1/dash/people')).json.people;
  const plain = all.filter((x) => /^[\p{L} .'-]+$/u.test(x.display_name) &&
    all.filter((q) => q.display_name === x.display_name).length === 1);
  [a, b] = plain.slice(0, 2);
  for (const x of plain.slice(0, 3)) {
    const e = await api.req('POST', `/v1/dash/programmes/${encodeURIComponent(p.json.id)}/enrolments`, { person_id: x.id });
    assert(e.status === 201 || e.status === 200, `enrol ${e.status}`);
  }
  const m = await api.req('POST', `/v1/dash/manual/${sid}/${encodeURIComponent(b.id)}/check_in`, { time: '10:15' });
  assert(m.status === 201, `mark b ${m.status} ${m.text}`);
});

await check('manual: log in and open the presentielijst', async () => {
  await page.goto(`${HUB}/`);
  await page.fill('input[type=email]', 'demo@presentie.test');
  await page.fill('input[type=password]', 'presentie-demo');
  await page.click('button[type=submit]');
  await page.waitForSelector('nav', { timeout: 10000 });
  await page.evaluate((x) => { location.hash = x; }, `#/reports/presentielijst?session=${encodeURIComponent(sid)}`);
  await page.waitForSelector('.presentielijst table', { timeout: 10000 });
});

await check('manual: "Handmatig aanwezig melden" by keyboard marks the absent person present, announced', async () => {
  const btn = page.getByRole('button', { name: `${a.display_name} handmatig aanwezig melden` });
  assert(await btn.count() === 1, 'no labelled button for the absent person');
  await btn.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => (document.getElementById('live') || {}).textContent.includes(n), a.display_name, { timeout: 10000 });
  assert((await live()).includes('handmatig aanwezig gemeld'), await live());
  const r = await row(a.id);
  assert(r.present && r.manual === 'check_in', JSON.stringify(r));
  await page.waitForSelector('.presentielijst .badge.info', { timeout: 10000 });
});

await check('manual: a departure time before the check-in is refused in Dutch and not stored', async () => {
  const time = page.getByLabel(`Vertrektijd van ${b.display_name}`);
  assert(await time.count() === 1, 'no labelled time field for the presence without check-out');
  await time.fill('10:00');
  await time.press('Enter');
  await page.waitForSelector('form.manual-out .msg.error', { timeout: 10000 });
  const txt = await page.locator('form.manual-out .msg.error').first().textContent();
  assert(txt.includes('niet vóór het inchecken'), txt);
  const r = await row(b.id);
  assert(r.check_out === null, JSON.stringify(r));
});

await check('manual: "Vertrektijd invullen" 11:30 stores the check-out, hours by the rule, both rows "handmatig"', async () => {
  const time = page.getByLabel(`Vertrektijd van ${b.display_name}`);
  await time.fill('11:30');
  await page.getByRole('button', { name: `Vertrektijd invullen voor ${b.display_name}` }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => (document.getElementById('live') || {}).textContent.includes('11:30'), null, { timeout: 10000 });
  const r = await row(b.id);
  assert(r.manual === 'check_in+check_out' && r.hours === 1.25, JSON.stringify(r));
  await page.waitForFunction(() => document.querySelectorAll('.presentielijst .badge.info').length === 3, null, { timeout: 10000 });
  const cell = await page.locator('.presentielijst tbody tr', { hasText: b.display_name }).textContent();
  assert(cell.includes('handmatig') && cell.includes('11:30') && cell.includes('1,25'), cell);
});

for (const [w, hgt] of [[1366, 768], [390, 844]]) {
  await check(`manual: axe-core clean, no horizontal scroll at ${w}x${hgt}`, async () => {
    await page.setViewportSize({ width: w, height: hgt });
    await page.waitForTimeout(200);
    const v = await axe(page);
    assert(v.length === 0, v.map((x) => `${x.id}: ${x.nodes.join(', ')}`).join('; '));
    const sw = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(sw <= w, `scrollWidth ${sw}`);
    await page.locator('.presentielijst').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUT, 'screens', `manual-presentielijst-${w}x${hgt}.png`), fullPage: w < 400 });
  });
}
await page.setViewportSize({ width: 1366, height: 768 });

await check('manual: withdrawing the mark by keyboard makes the person absent again, announced', async () => {
  const btn = page.getByRole('button', { name: `Handmatige aanwezigheid van ${a.display_name} intrekken` });
  assert(await btn.count() === 1, 'no labelled withdraw button');
  await btn.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => (document.getElementById('live') || {}).textContent.includes(`van ${n} ingetrokken`), a.display_name, { timeout: 10000 });
  const r = await row(a.id);
  assert(!r.present && r.manual === null, JSON.stringify(r));
  await page.getByRole('button', { name: `${a.display_name} handmatig aanwezig melden` }).waitFor({ timeout: 10000 });
});

await check('manual: Today marks the row entered by hand "handmatig" too', async () => {
  await page.evaluate((x) => { location.hash = x; }, `#/today?date=${yesterday}`);
  const card = page.locator(`article[data-session="${sid}"]`);
  await card.waitFor({ timeout: 10000 });
  const r = card.locator('tr', { hasText: b.display_name });
  assert((await r.locator('.badge.info', { hasText: 'handmatig' }).count()) === 1, await r.textContent());
  assert((await card.locator('.badge.info', { hasText: 'handmatig' }).count()) === 1, 'other rows marked');
  const v = await axe(page);
  assert(v.length === 0, v.map((x) => `${x.id}: ${x.nodes.join(', ')}`).join('; '));
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(OUT, 'screens', 'manual-today-1366x768.png') });
});

await check('manual: the audit log says it in words', async () => {
  await page.evaluate(() => { location.hash = '#/audit'; });
  await page.waitForSelector('table', { timeout: 10000 });
  const txt = await page.locator('main').textContent();
  for (const w of ['handmatig aanwezig gemeld', 'vertrektijd ingevuld', 'handmatige aanwezigheid ingetrokken']) {
    assert(txt.includes(w), `audit lacks "${w}"`);
  }
  assert(txt.includes(a.display_name) && txt.includes('Naaiatelier'), 'audit names neither person nor session');
  await page.screenshot({ path: join(OUT, 'screens', 'manual-audit-1366x768.png') });
});

await check('manual: no page errors', () => assert(errors.length === 0, errors.join('; ')));
await browser.close();
process.exit(failures() ? 1 : 0);
