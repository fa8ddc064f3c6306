// newcomers.mjs — "Nieuw aangemeld" on the People page (issue 12 point 2):
// two newcomers registered at a kiosk (person_registered, sent as the
// agent would with the token of a kiosk enrolled for this test) are listed
// for the coordinator; the section is axe clean; approving one in the
// browser makes the person (with the consent given at the kiosk) and
// links the card; rejecting the other leaves nothing pending. The
// organisation's setting "newcomers may register at the kiosk" (issue 13):
// off by default, a labelled checkbox switched with the keyboard (Space),
// stored and audited at the hub, and the kiosk's next pull says so.
// Env: HUB_URL, OUT, NEWCOMER_TOKEN.
import { HUB, Api, launch, check, assert, axe, screens, failures } from './lib.mjs';

const TOKEN = process.env.NEWCOMER_TOKEN;
const MAC = 'cd00000000000000000000000000000000000000000000000000000000000077';
const regs = [
  { id: '0193c0de-0000-7000-8000-0000000000a1', display_name: 'Amina B.', first_name: 'Amina', lang: 'ar', card_mac: MAC },
  { id: '0193c0de-0000-7000-8000-0000000000a2', display_name: "Robert'); DROP TABLE people;-- R.", first_name: 'Robert', lang: 'tr' },
];
const now = Date.now();
const events = regs.map((p, i) => ({ uuid: `0193c0de-7c3d-7e4f-8a9b-0000000000${(i + 1).toString(16).padStart(2, '0')}`,
  seq: i + 1, kind: 'person_registered', person_id: null, session_id: null, role: null, wall_ms: now,
  boot_id: '5b0e5c3e-2f7a-4d8e-9b11-0f5c3a1d2e4f', boottime_ns: 1e9 + i, clock_synced: true,
  payload: { ...p, consent_version: 'kiosk-1', consent_ms: now } }));
await check('two registrations arrive from a kiosk (POST /v1/events)', async () => {
  const r = await fetch(`${HUB}/v1/events`, { method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ device_seq_from: 1, events }) });
  assert(r.status === 200, `status ${r.status}`);
});

const browser = await launch();
const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'nl-NL' })).newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));
await page.goto(`${HUB}/`);
await page.fill('input[type=email]', 'demo@presentie.test');
await page.fill('input[type=password]', 'presentie-demo');
await page.click('button[type=submit]');
await page.waitForSelector('#today-body');
await page.evaluate(() => { location.hash = '#/people'; });
const pull = async () => (await (await fetch(`${HUB}/v1/changes`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json()).newcomers;
await check('People: the setting is off by default, a labelled checkbox; the kiosk\'s pull says off', async () => {
  await page.waitForSelector('#nc-allowed', { timeout: 10000 });
  const box = page.getByLabel('Nieuwkomers mogen zich zelf aanmelden bij de kiosk ("Ik ben nieuw")');
  assert(await box.count() === 1 && !(await box.isChecked()), 'no unchecked labelled checkbox');
  assert(await pull() === false, 'pull says newcomers');
});
await check('keyboard: the setting takes focus, Space switches it on; stored, announced, pulled by the kiosk', async () => {
  await page.focus('#nc-allowed');
  assert(await page.evaluate(() => document.activeElement.id) === 'nc-allowed', 'not focusable');
  await page.keyboard.press('Space');
  // the answer of the PUT is announced; only then is it stored
  await page.waitForFunction(() => (document.getElementById('live') || {}).textContent?.includes('staat aan'), null, { timeout: 10000 });
  assert(await page.isChecked('#nc-allowed'), 'unchecked after Space');
  const d = await page.evaluate(async () => (await (await fetch('/v1/dash/registrations', { credentials: 'same-origin' })).json()).allowed);
  assert(d === true, `the hub says allowed ${d}`);
  assert(await pull() === true, 'the kiosk\'s pull does not say newcomers: true');
});
await screens(page, 'people-newcomers-setting');
await page.reload();
await check('People: "Nieuw aangemeld" lists both newcomers with language and card', async () => {
  await page.waitForSelector('#nc', { timeout: 10000 });
  const rows = await page.locator('section:has(#nc) tbody tr').allInnerTexts();
  assert(rows.length === 2, `${rows.length} rows`);
  assert(rows[0].includes('Amina B.') && rows[1].includes("Robert'); DROP TABLE people;-- R."), rows.join(' | '));
});
await check('axe: People with newcomers has no serious violations', async () => {
  const v = await axe(page);
  assert(v.length === 0, v.map((x) => `${x.id}: ${x.nodes.join(', ')}`).join('; '));
});
await screens(page, 'people-newcomers');
const api = new Api(HUB);
await api.login('demo@presentie.test', 'presentie-demo');
await check('approve in the browser: the person exists with the kiosk consent, the card is theirs', async () => {
  await page.click('button[aria-label="Amina B. goedkeuren"]');
  await page.waitForFunction(() => document.querySelectorAll('section:has(#nc) tbody tr').length === 1, null, { timeout: 10000 });
  const p = (await api.req('GET', `/v1/dash/people/${regs[0].id}`)).json;
  assert(p && p.display_name === 'Amina B.' && p.lang === 'ar' && p.consent_version === 'kiosk-1' && p.consent_date && p.cards === 1,
    JSON.stringify(p));
});
await check('reject in the browser: nothing pending, no person made', async () => {
  await page.click(`button[aria-label="${regs[1].display_name} afwijzen"]`);
  await page.waitForFunction(() => document.getElementById('nc-none'), null, { timeout: 10000 });
  const r = await api.req('GET', `/v1/dash/people/${regs[1].id}`);
  const list = (await api.req('GET', '/v1/dash/registrations')).json.registrations;
  assert(r.status === 404 && list.length === 0, `${r.status}, ${list.length} pending`);
});
await check('audit lists the approval and the rejection', async () => {
  const a = (await api.req('GET', '/v1/dash/audit')).json;
  const acts = JSON.stringify(a);
  assert(acts.includes('registration.approve') && acts.includes('registration.reject') &&
    acts.includes('registration.setting'), acts.slice(0, 200));
});
await check('no page errors', () => assert(errors.length === 0, errors.join('; ')));
await browser.close();
process.exit(failures() ? 1 : 0);
