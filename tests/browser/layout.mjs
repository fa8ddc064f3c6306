// layout.mjs — every dashboard page at a laptop (1366x768) and a phone
// (390x844) in headless Chromium (issue 14, point 11): no sideways scroll on
// the phone, no cut text in the session cards (every cell shows all of it),
// the session cards fill the row on the laptop, no table text scrolled out
// of sight, chart labels inside the SVG
// box, months as words ("nov 2026" / "Nov 2026", never "2026-11"), axe-core
// clean at both sizes; screenshots of each page and size in $OUT/screens.
// Check-ins at the demo's past sessions (as a kiosk sends them) give the
// reports months to show.
// Env: HUB_URL, OUT, DEVICE_TOKEN (a kiosk of the demo's location).
import { HUB, launch, check, assert, axe, failures, join, OUT, Api, checkIn } from './lib.mjs';

const DEMO = { email: 'demo@presentie.test', password: 'presentie-demo' };
const SIZES = [{ name: '1366x768', width: 1366, height: 768 }, { name: '390x844', width: 390, height: 844 }];
const browser = await launch();
const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'nl-NL',
  timezoneId: 'Europe/Amsterdam' });
const page = await ctx.newPage();
const consoleErrors = [];
page.on('pageerror', (e) => consoleErrors.push(String(e)));

const go = async (hash, waitFor) => {
  await page.evaluate((x) => { location.hash = x; }, hash);
  await page.waitForSelector(waitFor, { timeout: 10000 });
  await page.waitForLoadState('networkidle');
};

const api = new Api(HUB);
await api.login(DEMO.email, DEMO.password);
await check('layout: check-ins at past sessions of the last 60 days reach the hub', async () => {
  const from = new Date(Date.now() - 60 * 86400000).toISOString().slice(0, 10);
  const to = new Date().toISOString().slice(0, 10);
  const list = (await api.req('GET', `/v1/dash/sessions?from=${from}&to=${to}`)).json.sessions
    .filter((x) => Date.parse(x.end) < Date.now());
  assert(list.length > 0, 'no past sessions in the demo');
  let n = 0;
  for (const x of list) {
    const d = (await api.req('GET', `/v1/dash/reports/presentielijst?session=${encodeURIComponent(x.id)}`)).json;
    const who = ((d && d.rows) || []).filter((p) => p.person_id).slice(0, 3);
    if (!who.length) continue;
    const at = Date.parse(x.start) + 300000;
    const r = await checkIn(process.env.DEVICE_TOKEN, who.map((p, i) => ({ person_id: p.person_id || p.id,
      session_id: x.id, wall_ms: at + i })));
    assert(r.status === 200, JSON.stringify(r).slice(0, 200));
    n++;
  }
  assert(n > 0, `no enrolled people at ${list.length} past sessions`);
});

await check('layout: log in', async () => {
  await page.goto(`${HUB}/`);
  await page.fill('input[type=email]', DEMO.email);
  await page.fill('input[type=password]', DEMO.password);
  await page.click('button[type=submit]');
  await page.waitForSelector('#today-body section.location', { timeout: 10000 });
});

// The person page of someone with a programme (the demo's first participant).
const firstPerson = await page.evaluate(async () => {
  const r = await fetch('/v1/dash/people'); const d = await r.json();
  const plain = d.people.filter((p) => /^[\p{L} .'-]+$/u.test(p.display_name));   /* not one naughty.mjs left */
  return plain.length ? plain[0].id : '';
});
const prog = await page.evaluate(async () => {
  const d = await (await fetch('/v1/dash/programmes')).json();
  const p = d.programmes.reduce((a, x) => (!a || x.sessions > a.sessions ? x : a), null);
  const full = await (await fetch(`/v1/dash/programmes/${encodeURIComponent(p.id)}`)).json();
  return { id: p.id, session: full.sessions[0].id };
});
const year = new Date().getFullYear();
// A day (today or within two weeks) with one or two sessions at a location:
// with fixed-width columns those left a third of the row empty.
const fewDay = await page.evaluate(async () => {
  for (let i = 0; i < 14; i++) {
    const d = new Date(Date.now() + i * 86400000).toISOString().slice(0, 10);
    const r = await (await fetch(`/v1/dash/today?date=${d}`)).json();
    if (r.locations.some((l) => l.sessions.length >= 1 && l.sessions.length <= 2)) return d;
  }
  return '';
});
await check('layout: a day with one or two sessions at a location in the next two weeks', () => assert(fewDay, 'none'));
const PAGES = [
  ['today', '#/today', '#today-body section.location'],
  ['today-few', `#/today?date=${fewDay}`, '#today-body section.location'],
  ['plan', '#/plan', 'main h1'],
  ['plan-programme', `#/plan/p/${encodeURIComponent(prog.id)}`, '#newsess'],
  ['plan-session', `#/plan/s/${encodeURIComponent(prog.session)}`, '#ed'],
  ['people', '#/people', 'main table'],
  ['person', `#/people/${encodeURIComponent(firstPerson)}`, 'main h1'],
  ['followup', '#/followup', '#ns'],
  ['reports-presentielijst', '#/reports/presentielijst', 'section.presentielijst'],
  ['reports-attendance', '#/reports/attendance', '#ath'],
  ['reports-reach', `#/reports/reach?from=${year - 1}-01-01`, '#rh'],
  ['reports-guests', `#/reports/guests?from=${year - 1}-01-01`, '#rh'],
  ['reports-hours', `#/reports/hours?from=${year - 1}-01-01`, '#rh'],
  ['audit', '#/audit', 'main h1'],
];

// What the page shows wider than it is, and charts' labels outside their box.
const measure = () => {
  const out = { scroll: document.documentElement.scrollWidth, inner: window.innerWidth, wide: [], cut: [], chart: [],
    months: [], hidden: [] };
  for (const el of document.querySelectorAll('main *')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > window.innerWidth + 1 && !el.closest('.table-wrap') && !el.closest('svg')) {
      out.wide.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.right)}`);
    }
  }
  for (const el of document.querySelectorAll('.session .table-wrap, .session th, .session td, .session h4, .session p')) {
    if (el.scrollWidth > el.clientWidth + 1) out.cut.push(`${el.tagName.toLowerCase()} '${el.textContent.slice(0, 30)}' ${el.scrollWidth}>${el.clientWidth}`);
  }
  for (const svg of document.querySelectorAll('svg.chart')) {
    const vb = svg.viewBox.baseVal;
    for (const tx of svg.querySelectorAll('text')) {
      const b = tx.getBBox();
      if (b.x < vb.x - 0.5 || b.y < vb.y - 0.5 || b.x + b.width > vb.x + vb.width + 0.5 || b.y + b.height > vb.y + vb.height + 0.5) {
        out.chart.push(`'${tx.textContent}' ${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.width)}x${Math.round(b.height)} in ${vb.width}x${vb.height}`);
      }
    }
    const r = svg.getBoundingClientRect();
    if (r.right > window.innerWidth + 1) out.chart.push(`svg right ${Math.round(r.right)}`);
  }
  // numbers of a table in view without scrolling the table sideways
  for (const wrap of document.querySelectorAll('main .table-wrap')) {
    const right = wrap.getBoundingClientRect().right;
    for (const td of wrap.querySelectorAll('td, th')) {
      if (td.getBoundingClientRect().right > right + 1 && td.textContent.trim()) out.hidden.push(`'${td.textContent.slice(0, 20)}'`);
    }
  }
  for (const el of document.querySelectorAll('svg.chart text, main td, main th')) {
    if (/^\d{4}-\d{2}$/.test(el.textContent.trim())) out.months.push(el.textContent.trim());
  }
  return out;
};

for (const s of SIZES) {
  await page.setViewportSize({ width: s.width, height: s.height });
  for (const [name, hash, sel] of PAGES) {
    try { await go(hash, sel); } catch (e) {
      await check(`layout ${s.name} ${name}: the page shows`, () => { throw e; });
      continue;
    }
    await page.waitForTimeout(100);
    await page.screenshot({ path: join(OUT, 'screens', `layout-${name}-${s.name}.png`), fullPage: true });
    const m = await page.evaluate(measure);
    await check(`layout ${s.name} ${name}: no sideways scroll (${m.scroll} <= ${m.inner})`, () => {
      assert(m.scroll <= m.inner && m.wide.length === 0, `scrollWidth ${m.scroll}; wider than the screen: ${m.wide.slice(0, 4).join(', ')}`);
    });
    if (name.startsWith('today')) {
      await check(`layout ${s.name} ${name}: no text of the session cards is cut`, () => {
        assert(m.cut.length === 0, m.cut.slice(0, 4).join('; '));
      });
      if (s.width >= 1000) {
        await check(`layout ${s.name} ${name}: the session cards fill the row (no empty third)`, async () => {
          const gaps = await page.evaluate(() => [...document.querySelectorAll('.grid.sessions')].map((g) => {
            const gr = g.getBoundingClientRect();
            const cards = [...g.children].map((c) => c.getBoundingClientRect());
            const right = Math.max(...cards.map((c) => c.right));
            return Math.round(gr.right - right);
          }));
          assert(gaps.every((x) => x <= 2), `empty space right of the cards: ${gaps.join(', ')} px`);
        });
      }
    }
    await check(`layout ${s.name} ${name}: every table in view (no text scrolled out of sight sideways)`, () => {
      assert(m.hidden.length === 0, m.hidden.slice(0, 6).join(', '));
    });
    if (name.startsWith('reports-')) {
      await check(`layout ${s.name} ${name}: chart labels inside the chart`, () => {
        assert(m.chart.length === 0, m.chart.slice(0, 4).join('; '));
      });
      await check(`layout ${s.name} ${name}: months as words, not YYYY-MM`, () => {
        assert(m.months.length === 0, m.months.slice(0, 4).join(', '));
      });
    }
    await check(`layout ${s.name} ${name}: axe-core clean`, async () => {
      const v = await axe(page);
      assert(v.length === 0, `${v.length} serious/critical: ${JSON.stringify(v).slice(0, 300)}`);
    });
  }
}

await check('layout: months in words in the page language: table "nov 2026" / "Nov 2026", chart "nov" / "Nov"', async () => {
  await page.setViewportSize({ width: 1366, height: 768 });
  const words = async () => ({
    table: await page.$$eval('section.card tbody th', (ts) => ts.map((x) => x.textContent.trim())),
    chart: await page.$$eval('svg.chart text', (ts) => ts.map((x) => x.textContent.trim())),
  });
  await go(`#/reports/reach?from=${year - 1}-01-01`, 'svg.chart');
  const nl = await words();
  await page.selectOption('#lang', 'en');
  await page.waitForFunction(() => document.documentElement.lang === 'en' && document.querySelector('svg.chart'));
  await page.waitForLoadState('networkidle');
  const en = await words();
  await page.selectOption('#lang', 'nl');
  const NL = '(jan|feb|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec)';
  const EN = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)';
  assert(nl.table.length && nl.table.every((x) => new RegExp(`^${NL} \\d{4}$`).test(x)), `nl table: ${nl.table.slice(0, 6).join('|')}`);
  assert(en.table.length && en.table.every((x) => new RegExp(`^${EN} \\d{4}$`).test(x)), `en table: ${en.table.slice(0, 6).join('|')}`);
  assert(nl.chart.some((x) => new RegExp(`^${NL}$`).test(x)), `nl chart: ${nl.chart.join('|').slice(0, 200)}`);
  assert(en.chart.some((x) => new RegExp(`^${EN}$`).test(x)), `en chart: ${en.chart.join('|').slice(0, 200)}`);
});
await check('layout: no JavaScript errors', () => assert(consoleErrors.length === 0, consoleErrors.join(' | ')));

await browser.close();
process.exit(failures() ? 1 : 0);
