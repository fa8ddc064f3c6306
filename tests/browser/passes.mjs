// passes.mjs — phone passes and printed sheets in headless Chromium (run by
// tests/integration/dash_browser.sh after dash.mjs): on a person's page make
// a pass (its QR card image and the "shown once" warning), re-issue after
// the confirmation (the old pass inactive at the hub), revoke it; on Today,
// download the badges PDF and, after the confirmation, the pass cards PDF
// of a session (new passes issued). axe-core on each state.
// Env: HUB_URL, OUT.
import { writeFileSync } from 'node:fs';
import { HUB, OUT, launch, check, assert, axe, screens, Api, failures, join } from './lib.mjs';

const DEMO = { email: 'demo@presentie.test', password: 'presentie-demo' };
const PERSON = 'p05';
const browser = await launch();
const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true, locale: 'nl-NL',
  timezoneId: 'Europe/Amsterdam' });
const page = await ctx.newPage();
const consoleErrors = [];
page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
page.on('pageerror', (e) => consoleErrors.push(String(e)));
const api = new Api(HUB);
await api.login(DEMO.email, DEMO.password);
const a11y = async () => {
  const v = await axe(page);
  assert(v.length === 0, `${v.length} serious/critical: ${JSON.stringify(v).slice(0, 400)}`);
};
const passes = async () => (await api.req('GET', `/v1/dash/people/${PERSON}`)).json.credentials.filter((c) => c.kind === 'qr');

await check('passes: log in', async () => {
  await page.goto(`${HUB}/`);
  await page.fill('input[type=email]', DEMO.email);
  await page.fill('input[type=password]', DEMO.password);
  await page.click('button[type=submit]');
  await page.waitForSelector('nav', { timeout: 10000 });
  consoleErrors.length = 0;   // the session probe before logging in is a 401
});
await check('passes: making a pass shows its card image once, with a download', async () => {
  await page.evaluate((h) => { location.hash = h; }, `#/people/${PERSON}`);
  await page.getByRole('button', { name: 'Pas maken' }).click();
  const img = page.locator('img.pass-card');
  await img.waitFor({ timeout: 10000 });
  assert(/^data:image\/png;base64,/.test(await img.getAttribute('src')), 'png src');
  assert((await img.getAttribute('alt')).includes('QR'), 'alt text');
  await page.waitForFunction(() => document.body.textContent.includes('maar één keer getoond'));
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Afbeelding opslaan (PNG)' }).click()]);
  const file = join(OUT, 'pass.png');
  await dl.saveAs(file);
  const q = await passes();
  assert(q.filter((c) => c.active).length === 1, JSON.stringify(q));
});
await check('axe: person page with a new pass has no serious violations', a11y);
await screens(page, 'pass-issued');
await check('passes: re-issuing asks first, then the old pass is inactive', async () => {
  const before = (await passes()).find((c) => c.active).ref;
  await page.evaluate(() => location.reload());
  await page.getByRole('button', { name: 'Nieuwe pas maken' }).click();
  await page.waitForFunction(() => document.body.textContent.includes('werkt daarna niet meer'));
  await page.getByRole('button', { name: 'Ja, maak een nieuwe pas' }).click();
  await page.locator('img.pass-card').waitFor({ timeout: 10000 });
  const q = await passes();
  assert(q.length === 2 && q.find((c) => c.ref === before && !c.active) && q.filter((c) => c.active).length === 1,
    JSON.stringify(q));
});
await check('passes: revoking the pass', async () => {
  await page.evaluate(() => location.reload());
  await page.getByRole('button', { name: 'Pas intrekken' }).click();
  await page.waitForFunction(() => document.body.textContent.includes('Nog geen pas.'));
  assert((await passes()).every((c) => !c.active), 'still active');
});
await check('axe: person page after revoking has no serious violations', a11y);

let sid = '';
await check('passes: Today offers badges and pass cards per session; the badges PDF downloads', async () => {
  await page.evaluate(() => { location.hash = '#/today'; });
  const link = page.locator('a[data-k^="badges-"]').first();
  await link.waitFor({ timeout: 10000 });
  sid = (await link.getAttribute('data-k')).slice('badges-'.length);
  const [dl] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const file = join(OUT, 'badges.pdf');
  await dl.saveAs(file);
  const r = await api.req('GET', `/v1/dash/print/badges.pdf?session=${encodeURIComponent(sid)}`);
  assert(r.status === 200 && r.text.startsWith('%PDF'), `${r.status}`);
});
await check('passes: pass cards ask first, then download a PDF and issue new passes', async () => {
  await page.locator(`button[data-k="cards-${sid}"]`).click();
  await page.waitForFunction(() => document.body.textContent.includes('oude passen werken daarna niet meer'));
  await screens(page, 'print-confirm');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator(`button[data-k="cardsyes-${sid}"]`).click()]);
  const file = join(OUT, 'cards.pdf');
  await dl.saveAs(file);
  const audit = (await api.req('GET', '/v1/dash/audit')).text;
  assert(audit.includes('print.cards'), 'not audited');
});
await check('axe: Today with the print confirmation has no serious violations', a11y);
await check('passes: no console errors', async () => assert(consoleErrors.length === 0, consoleErrors.join(' | ')));
writeFileSync(join(OUT, 'passes.done'), 'ok\n');
await browser.close();
process.exit(failures() ? 1 : 0);
