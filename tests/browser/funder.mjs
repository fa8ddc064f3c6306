// funder.mjs — the funder fields in the dashboard (issue 14 point 15): on
// the Reports page an admin finds the switch off by default (a labelled
// checkbox, Space switches it on, announced, stored); the report's two
// tables then show; on a person's page the consent checkbox and the two
// fields appear only while on; a postcode with letters is refused in the
// page, 4 digits with consent are stored at the hub. axe clean.
// Env: HUB_URL, OUT.
import { HUB, Api, launch, check, assert, axe, screens, failures } from './lib.mjs';

const browser = await launch();
const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'nl-NL' })).newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));
const api = new Api(HUB);
await api.login('demo@presentie.test', 'presentie-demo');
await api.req('PUT', '/v1/dash/funder/setting', { enabled: false });
await page.goto(`${HUB}/`);
await page.fill('input[type=email]', 'demo@presentie.test');
await page.fill('input[type=password]', 'presentie-demo');
await page.click('button[type=submit]');
await page.waitForSelector('#today-body');

await check('person page: no funder fields while the switch is off', async () => {
  await page.evaluate(() => { location.hash = '#/people/p03'; });
  await page.waitForSelector('h1', { timeout: 10000 });
  await page.waitForTimeout(300);
  assert(await page.locator('#fu-consent').count() === 0, 'consent box shown while off');
});
await check('Reports: the switch is off by default, a labelled checkbox', async () => {
  await page.evaluate(() => { location.hash = '#/reports/reach'; });
  await page.waitForSelector('#fu-enabled', { timeout: 10000 });
  const box = page.getByLabel('Leeftijdsgroep en postcodegebied vastleggen (alleen met toestemming)');
  assert(await box.count() === 1 && !(await box.isChecked()), 'no unchecked labelled checkbox');
});
await check('keyboard: Space switches it on; announced, stored; the report tables show', async () => {
  await page.focus('#fu-enabled');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => (document.getElementById('live') || {}).textContent?.includes('staan aan'), null, { timeout: 10000 });
  const d = (await api.req('GET', '/v1/dash/funder')).json;
  assert(d.enabled === true, JSON.stringify(d));
  await page.waitForSelector('section:has(#fu) table', { timeout: 10000 });
  const rows = await page.locator('section:has(#fu) table').first().locator('tbody tr').count();
  assert(rows === 6, `${rows} band rows (5 bands and unknown)`);
});
await check('axe: Reports with the funder report has no serious violations', async () => {
  const v = await axe(page);
  assert(v.length === 0, v.map((x) => `${x.id}: ${x.nodes.join(', ')}`).join('; '));
});
await screens(page, 'reports-funder');
await check('person page: consent, band and area; letters refused in the page; 4 digits stored', async () => {
  await page.evaluate(() => { location.hash = '#/people/p03'; });
  await page.waitForSelector('#fu-consent', { timeout: 10000 });
  await page.check('#fu-consent');
  await page.getByLabel('Leeftijdsgroep', { exact: true }).selectOption('27-45');
  const area = page.getByLabel('Postcodegebied (4 cijfers)');
  await area.fill('12AB');
  await page.click('form:has(#fuh) button[type=submit]');
  await page.waitForSelector('form:has(#fuh) .msg.error', { timeout: 10000 });
  let s = (await api.req('GET', '/v1/dash/people/p03/funder')).json;
  assert(!s.consent && s.postcode_area === null, `stored ${JSON.stringify(s)}`);
  await area.fill('1012');
  await page.click('form:has(#fuh) button[type=submit]');
  await page.waitForFunction(() => document.querySelector('form:has(#fuh)').textContent.includes('Opgeslagen'), null, { timeout: 10000 });
  s = (await api.req('GET', '/v1/dash/people/p03/funder')).json;
  assert(s.consent && s.age_band === '27-45' && s.postcode_area === '1012', JSON.stringify(s));
});
await check('axe: the person page with the funder fields has no serious violations', async () => {
  const v = await axe(page);
  assert(v.length === 0, v.map((x) => `${x.id}: ${x.nodes.join(', ')}`).join('; '));
});
await screens(page, 'person-funder');
await api.req('PUT', '/v1/dash/funder/setting', { enabled: false });
await check('no page errors', () => assert(errors.length === 0, errors.join('; ')));
await browser.close();
process.exit(failures() ? 1 : 0);
