// reports.js — the Reports page for funders and the municipality:
// presentielijst per session (prints on A4 with room for signatures),
// attendance per participant over a programme, reach (unique participants
// and visits per programme/location/month), guests, volunteer hours. Each is
// a table, a chart where looking beats reading, and a CSV download of the
// same numbers; small counts (< 5) can be suppressed for external use.
import { get, post, del, qs, enc, ApiError } from './api.js';
import { h, clear, field, message, table, fmtDate, fmtTime, fmtHours, fmtMonth, localDate, badge, announce } from './dom.js';
import { t } from './i18n.js';
import { errorText, go, me } from './app.js';
import { hbars, columns } from './chart.js';
import * as funder from './funder.js';

const TABS = ['presentielijst', 'attendance', 'reach', 'guests', 'hours'];

export async function render(main, route) {
  const tab = TABS.includes(route.rest[0]) ? route.rest[0] : 'presentielijst';
  main.append(h('h1.print-hide', t('reports.title')),
    h('nav.tabs', { 'aria-label': t('reports.which') }, TABS.map((x) => h('a', {
      href: `#/reports/${x}`, 'aria-current': x === tab ? 'page' : null }, t(`reports.${x}`)))));
  const body = h('div');
  main.append(body);
  const q = route.query;
  if (tab === 'presentielijst') await presentielijst(body, q);
  else if (tab === 'attendance') await attendance(body, q);
  else await periodReport(body, tab, q);
  // the funder fields' switch and report (funder.js), below every tab
  main.append(await funder.reportSection(q).catch((e) => message('error', errorText(e))));
}

function csvLink(path, params) {
  return h('a.button.secondary.no-print', { href: `${path}.csv${qs(params)}`, download: '' }, t('reports.csv'));
}
function cell(v) { return v === null || v === undefined ? '<5' : String(v); }

async function presentielijst(body, q) {
  const list = await get(`/v1/dash/sessions${qs({ from: isoDaysAgo(60), to: isoDaysAgo(-14) })}`);
  const started = list.sessions.filter((s) => Date.parse(s.start) <= Date.now());
  const sid = q.get('session') || (started[started.length - 1] || list.sessions[0] || {}).id;
  const sel = h('select', list.sessions.map((s) => h('option', { value: s.id, selected: s.id === sid },
    `${fmtDate(s.start, s.location.timezone)} ${fmtTime(s.start, s.location.timezone)} · ${s.title}`)));
  body.append(h('form.row.no-print', { on: { submit: (ev) => { ev.preventDefault();
    go(`#/reports/presentielijst${qs({ session: sel.value })}`); } } },
  field(t('reports.session'), sel), h('div.field', h('button.secondary', { type: 'submit' }, t('reports.show')))));
  if (!sid) { body.append(h('p.muted', t('reports.nosessions'))); return; }
  let d;
  try { d = await get(`/v1/dash/reports/presentielijst${qs({ session: sid })}`); }
  catch (e) { body.append(message('error', errorText(e))); return; }
  const s = d.session, tz = s.timezone;
  let n = 0;
  body.append(h('section.card.presentielijst', { 'aria-labelledby': 'plh' },
    h('div.spread', h('h2#plh', `${t('reports.presentielijst')}: ${s.title}`),
      h('div.row.no-print', h('button', { type: 'button', on: { click: () => window.print() } }, t('reports.print')),
        csvLink('/v1/dash/reports/presentielijst', { session: sid }))),
    h('p', h('b', me.organisation ? me.organisation.name : ''), h('br'),
      `${fmtDate(s.start, tz, true)}, ${fmtTime(s.start, tz)}–${fmtTime(s.end, tz)} · ${s.location.name}`,
      s.room ? ` · ${s.room}` : '', s.programme ? [h('br'), s.programme.title] : null),
    h('p', t('reports.expectedpresent', { e: d.expected, p: d.present })),
    table(null, [
      { label: '#', num: true, get: () => String(++n) },
      { label: t('common.name'), rowHeader: false, get: (r) => r.display_name || t('common.erased') },
      { label: t('today.role'), get: (r) => r.role ? t(`role.${r.role}`, {}, r.role) : '' },
      { label: t('reports.expected'), get: (r) => r.expected ? t('common.yes') : t('common.no') },
      { label: t('reports.present'), get: (r) => presentCell(r, s, () => presentielijst(clear(body), q)) },
      { label: t('reports.hoursn'), num: true, get: hoursCell },
      { label: t('reports.signature'), get: () => '' },
    ], d.rows, t('reports.empty'))));
  for (const td of body.querySelectorAll('.presentielijst td:last-child')) td.classList.add('sign');
  body.append(h('p.print-only', t('reports.printedon', { when: new Date().toLocaleString(document.documentElement.lang) })));
}

// ---- presence marked by hand (docs/DASHBOARD.md "Marked by hand") ----------
// The "present" cell: yes + time (with "handmatig" when a coordinator
// entered it, and a button to withdraw it), and for the coordinator the
// actions: "Handmatig aanwezig melden" for someone expected and absent once
// the session has begun, "Vertrektijd invullen" (a time field) for a
// presence without check-out after the session's end. Not printed.
function presentCell(r, s, reload) {
  const tz = s.timezone, now = Date.now(), name = r.display_name || t('common.erased');
  const manual = r.manual || '';
  const url = (kind) => `/v1/dash/manual/${enc(s.id)}/${enc(r.person_id)}/${kind}`;
  const act = async (fn, done) => {
    try { await fn(); announce(done); await reload(); }
    catch (e) { announce(manualError(e)); alertIn(e); }
  };
  let alertIn = () => {};
  const out = [];
  if (r.present) {
    out.push(`${t('common.yes')} ${fmtTime(r.check_in, tz)}`);
    if (manual.includes('check_in')) {
      out.push(' ', badge('info', t('manual.flag')), ' ', h('button.link.no-print', { type: 'button',
        'aria-label': t('manual.undoinlabel', { name }),
        on: { click: () => act(() => del(url('check_in')), t('manual.undonein', { name })) } }, t('manual.undo')));
    }
    if (r.check_out) {
      out.push(h('br'), `${t('manual.left')} ${fmtTime(r.check_out, tz)}`);
      if (manual.includes('check_out')) {
        out.push(' ', badge('info', t('manual.flag')), ' ', h('button.link.no-print', { type: 'button',
          'aria-label': t('manual.undooutlabel', { name }),
          on: { click: () => act(() => del(url('check_out')), t('manual.undoneout', { name })) } }, t('manual.undo')));
      }
    } else if (r.person_id && Date.parse(s.end) <= now) {
      const time = h('input', { type: 'time', required: true, value: fmtTime(s.end, tz) });
      const err = h('div', { 'aria-live': 'polite' });
      alertIn = (e) => clear(err).append(message('error', manualError(e)));
      out.push(h('form.manual-out.no-print', { on: { submit: (ev) => { ev.preventDefault();
        act(() => post(url('check_out'), { time: time.value }), t('manual.doneout', { name, time: time.value })); } } },
      field(t('manual.outlabel', { name }), time),
      h('button.secondary', { type: 'submit', 'aria-label': t('manual.filloutlabel', { name }) }, t('manual.fillout')), err));
    }
  } else {
    out.push(t('common.no'));
    if (r.expected && r.person_id && Date.parse(s.start) <= now && !s.cancelled) {
      out.push(' ', h('button.secondary.no-print', { type: 'button', 'aria-label': t('manual.marklabel', { name }),
        on: { click: () => act(() => post(url('check_in'), {}), t('manual.donein', { name })) } }, t('manual.mark')));
    }
  }
  return h('span.present-cell', out);
}

function manualError(e) {
  if (e instanceof ApiError && e.code && ['bad_time', 'not_expected', 'not_present', 'checked_out', 'cancelled'].includes(e.code)) {
    return t(`manual.err.${e.code}`);
  }
  return errorText(e);
}

async function attendance(body, q) {
  const progs = (await get('/v1/dash/programmes')).programmes;
  const busiest = progs.reduce((a, p) => (!a || p.sessions > a.sessions ? p : a), null);
  const pid = q.get('programme') || (busiest || {}).id;
  const sel = h('select', progs.map((p) => h('option', { value: p.id, selected: p.id === pid }, p.title)));
  body.append(h('form.row.no-print', { on: { submit: (ev) => { ev.preventDefault();
    go(`#/reports/attendance${qs({ programme: sel.value })}`); } } },
  field(t('plan.programme'), sel), h('div.field', h('button.secondary', { type: 'submit' }, t('reports.show')))));
  if (!pid) { body.append(h('p.muted', t('plan.noprogrammes'))); return; }
  const d = await get(`/v1/dash/reports/attendance${qs({ programme: pid })}`);
  body.append(h('section.card', { 'aria-labelledby': 'ath' },
    h('div.spread', h('h2#ath', `${t('reports.attendance')}: ${d.programme.title}`), csvLink('/v1/dash/reports/attendance', { programme: pid })),
    h('p', t('reports.sessionsheld', { n: d.sessions })),
    d.rows.length ? hbars(t('reports.attendancechart', { title: d.programme.title }),
      d.rows.map((r) => ({ label: r.display_name, value: r.attended, text: t('reports.xofy', { x: r.attended, y: r.of }) })),
      { max: d.sessions, width: room(body) }) : null,
    table(null, [
      { label: t('common.name'), rowHeader: true, get: (r) => r.display_name },
      { label: t('reports.attended'), num: true, get: (r) => t('reports.xofy', { x: r.attended, y: r.of }) },
      { label: t('reports.rate'), num: true, get: (r) => r.of ? `${Math.round((100 * r.attended) / r.of)}%` : '–' },
    ], d.rows, t('reports.empty'))));
}

async function periodReport(body, tab, q) {
  const from = q.get('from') || `${localDate(new Date()).slice(0, 4)}-01-01`;
  const to = q.get('to') || localDate(new Date());
  const suppress = q.get('suppress') === '1';
  const fromIn = h('input', { type: 'date', value: from });
  const toIn = h('input', { type: 'date', value: to });
  const sup = h('input', { type: 'checkbox', checked: suppress });
  body.append(h('form.row.no-print', { on: { submit: (ev) => { ev.preventDefault();
    go(`#/reports/${tab}${qs({ from: fromIn.value, to: toIn.value, suppress: sup.checked ? '1' : '' })}`); } } },
  field(t('reports.from'), fromIn), field(t('reports.to'), toIn),
  tab !== 'hours' ? h('div.field', h('label.check', sup, t('reports.suppress'))) : null,
  h('div.field', h('button.secondary', { type: 'submit' }, t('reports.show')))));
  const params = { from, to, suppress: suppress ? '1' : '' };
  const path = `/v1/dash/reports/${tab}`;
  let d;
  try { d = await get(`${path}${qs(params)}`); } catch (e) { body.append(message('error', errorText(e))); return; }
  const sec = h('section.card', { 'aria-labelledby': 'rh' },
    h('div.spread', h('h2#rh', t(`reports.${tab}`)), csvLink(path, params)),
    h('p.hint', t(`reports.${tab}hint`)), suppress ? h('p.hint', t('reports.suppressed')) : null);
  body.append(sec);
  if (tab === 'reach') {
    const months = groupMonths(d.rows, (r) => [r.visits, r.unique], from, to);
    if (months.length) {
      sec.append(columns(t('reports.reachchart'), months.map((m) => monthCat(m, m.b)), { alt: true, width: room(body) }),
        h('p.legend', { 'aria-hidden': 'true' }, h('span', h('span.sw'), t('reports.visits')), h('span', h('span.sw.alt'), t('reports.unique'))));
    }
    sec.append(table(null, [
      { label: t('reports.month'), rowHeader: true, get: (r) => fmtMonth(r.month) },
      { label: t('plan.programme'), get: (r) => r.programme || t('reports.noprogramme') },
      { label: t('plan.location'), get: (r) => r.location },
      { label: t('reports.unique'), num: true, get: (r) => cell(r.unique) },
      { label: t('reports.visits'), num: true, get: (r) => cell(r.visits) },
    ], d.rows, t('reports.empty')));
  } else if (tab === 'guests') {
    const months = groupMonths(d.rows, (r) => [r.guests, 0], from, to);
    if (months.length) sec.append(columns(t('reports.guestschart'), months.map((m) => monthCat(m)), { width: room(body) }));
    sec.append(table(null, [
      { label: t('reports.month'), rowHeader: true, get: (r) => fmtMonth(r.month) },
      { label: t('plan.location'), get: (r) => r.location },
      { label: t('reports.guests'), num: true, get: (r) => cell(r.guests) },
    ], d.rows, t('reports.empty')));
  } else {
    const per = new Map();
    for (const r of d.rows) per.set(r.display_name, (per.get(r.display_name) || 0) + r.hours);
    if (per.size) {
      sec.append(hbars(t('reports.hourschart'), [...per].map(([k, v]) => ({ label: k, value: v, text: fmtHours(v) })),
        { width: room(body) }));
    }
    sec.append(table(null, [
      { label: t('common.name'), rowHeader: true, get: (r) => r.display_name },
      { label: t('reports.month'), get: (r) => fmtMonth(r.month) },
      { label: t('reports.sessionsn'), num: true, get: (r) => String(r.sessions) },
      { label: t('reports.hoursn'), num: true, get: hoursCell },
      { label: t('reports.notout'), num: true, get: (r) => (r.not_checked_out ? badge('warn', String(r.not_checked_out)) : '') },
      { label: t('reports.stillin'), num: true, get: (r) => (r.still_checked_in ? String(r.still_checked_in) : '') },
    ], d.rows, t('reports.empty')));
    if (d.checkout_rule) sec.append(h('p.hint', t(`reports.rule.${d.checkout_rule}`)));
  }
}

// Sum two numbers per month (suppressed cells count as 0 in the chart);
// every month of the period is a column (up to two years), so gaps show.
function groupMonths(rows, pick, from, to) {
  const m = new Map();
  if (rows.length) {
    let [y, mo] = from.split('-').map(Number);
    const [ty, tm] = to.split('-').map(Number);
    for (let i = 0; i < 24 && (y < ty || (y === ty && mo <= tm)); i++) {
      const k = `${y}-${String(mo).padStart(2, '0')}`;
      m.set(k, { month: k, a: 0, b: 0 });
      mo++; if (mo > 12) { mo = 1; y++; }
    }
  }
  for (const r of rows) {
    const [a, b] = pick(r);
    const cur = m.get(r.month) || { month: r.month, a: 0, b: 0 };
    cur.a += a || 0; cur.b += b || 0;
    m.set(r.month, cur);
  }
  return [...m.values()].sort((x, y) => x.month.localeCompare(y.month));
}

// Hours as the API gives them (docs/DASHBOARD.md "Hours"): null while
// someone is still in a running session ("nog bezig"), or none (blank).
function hoursCell(r) {
  if (r.hours != null) return fmtHours(r.hours);
  return r.checked_out === 'open' || r.still_checked_in ? t('reports.notyet') : '';
}

// A month as a chart column: "nov" over "2026".
function monthCat(m, b) { return { label: fmtMonth(m.month, 'month'), sub: fmtMonth(m.month, 'year'), a: m.a, b }; }
// The width a chart gets inside a card in body (px; the card's padding off).
function room(body) { return body.clientWidth - 26; }

function isoDaysAgo(n) { return localDate(new Date(Date.now() - n * 86400000)); }
