// today.js — the Today page: per location its kiosks (online, last sync,
// records waiting, clock) and its sessions (expected, present with check-in
// and check-out, guests). Refreshes itself every REFRESH_MS with fetch,
// keeping focus and scroll; pauses while the tab is hidden.
import { get, qs, etagOfLast } from './api.js';
import { h, clear, field, fmtTime, fmtDateTime, localDate, badge, message } from './dom.js';
import { t } from './i18n.js';
import { printLinks } from './passes.js';
import { errorText } from './app.js';

const REFRESH_MS = 10000;

export async function render(main, route) {
  const date = route.query.get('date') || localDate(new Date());
  const dateIn = h('input', { type: 'date', value: date, on: { change: () => {
    location.hash = `#/today${qs({ date: dateIn.value })}`;
  } } });
  const updated = h('p.muted.updated', { 'aria-live': 'off' });
  const body = h('div#today-body');
  main.append(h('div.spread', h('h1', t('today.title')), h('div.row', field(t('today.date'), dateIn))),
    updated, body);

  let timer = null;
  let busy = false;
  let etag = '';
  const load = async () => {
    if (busy || document.hidden) return;
    busy = true;
    try {
      const d = await get(`/v1/dash/today${qs({ date })}`, { etag });
      if (d) {   /* null: 304, nothing changed since the last answer */
        etag = etagOfLast();
        paint(body, d);
      }
      updated.textContent = t('today.updated', { time: fmtTime(new Date().toISOString()) });
    } catch (e) {
      updated.textContent = '';
      clear(body).append(message('error', errorText(e)));
    } finally { busy = false; }
  };
  await load();
  timer = setInterval(load, REFRESH_MS);
  const vis = () => { if (!document.hidden) load(); };
  document.addEventListener('visibilitychange', vis);
  return () => { clearInterval(timer); document.removeEventListener('visibilitychange', vis); };
}

function paint(body, d) {
  const active = document.activeElement;
  const key = active && body.contains(active) ? active.dataset.k : null;
  const y = window.scrollY;
  const frag = document.createDocumentFragment();
  if (!d.locations.length) frag.append(h('p.muted', t('today.nolocations')));
  for (const loc of d.locations) frag.append(locationBlock(loc));
  clear(body).append(frag);
  if (key) { const el = body.querySelector(`[data-k="${CSS.escape(key)}"]`); if (el) el.focus({ preventScroll: true }); }
  window.scrollTo(0, y);
}

function locationBlock(loc) {
  const tz = loc.timezone;
  const sec = h('section.location', { 'aria-labelledby': `loc-${loc.id}` },
    h('h2', { id: `loc-${loc.id}` }, loc.name));
  sec.append(h('h3', t('today.kiosks')));
  if (!loc.devices.length) sec.append(h('p.muted', t('today.nokiosks')));
  else {
    // .stack: on a phone each kiosk is a block of "label: value" lines
    sec.append(h('div.table-wrap.stack', { tabindex: 0, role: 'region', 'aria-label': `${t('today.kiosks')} ${loc.name}` }, h('table.kiosks',
      h('thead', h('tr', h('th', { scope: 'col' }, t('today.kiosk')), h('th', { scope: 'col' }, t('today.status')),
        h('th', { scope: 'col' }, t('today.lastsync')), h('th.num', { scope: 'col' }, t('today.waiting')),
        h('th', { scope: 'col' }, t('today.clock')))),
      h('tbody', loc.devices.map((dv) => h('tr',
        h('th', { scope: 'row' }, dv.name || dv.id),
        h('td', { 'data-label': t('today.status') }, dv.online ? badge('ok', t('today.online')) : badge('bad', t('today.offline'))),
        h('td', { 'data-label': t('today.lastsync') }, dv.last_seen ? fmtDateTime(dv.last_seen, tz) : t('today.never')),
        h('td.num', { 'data-label': t('today.waiting') }, dv.waiting === null || dv.waiting === undefined ? t('common.unknown') : String(dv.waiting)),
        h('td', { 'data-label': t('today.clock') }, dv.clock_synced === null || dv.clock_synced === undefined ? t('common.unknown')
          : dv.clock_synced ? badge('ok', t('today.clockok')) : badge('warn', t('today.clockoff')))))))));
  }
  sec.append(h('h3', t('today.sessions')));
  if (!loc.sessions.length) sec.append(h('p.muted', t('today.nosessions')));
  const grid = h('div.grid.sessions');
  for (const s of loc.sessions) grid.append(sessionCard(s, tz));
  sec.append(grid);
  return sec;
}

function sessionCard(s, tz) {
  const c = s.counts;
  const card = h('article.card.session', { 'aria-labelledby': `s-${s.id}`, 'data-session': s.id },
    h('div.spread', h('h4', { id: `s-${s.id}` }, s.title),
      s.cancelled ? badge('bad', t('plan.cancelled')) : null),
    h('p.muted', `${fmtTime(s.start, tz)}–${fmtTime(s.end, tz)}`, s.room ? ` · ${s.room}` : '',
      s.programme ? ` · ${s.programme.title}` : ''),
    h('div.stats',
      h('div.stat', h('b.expected', String(c.expected)), t('today.expected')),
      h('div.stat', h('b.present', String(c.present)), t('today.present')),
      h('div.stat', h('b.guests', String(c.guests)), t('today.guests'))));
  const rows = s.people;
  if (rows.length) {
    card.append(h('div.table-wrap', { tabindex: 0, role: 'region', 'aria-label': t('today.peopleof', { title: s.title }) }, h('table.people',
      h('caption.sr-only', t('today.peopleof', { title: s.title })),
      h('thead', h('tr', [t('today.namerole'), t('today.status'), t('today.in'), t('today.out')]
        .map((x) => h('th', { scope: 'col' }, x)))),
      // the role under the name: four columns fit a card on a phone
      h('tbody', rows.map((p) => h('tr', { 'data-person': p.person_id || '' },
        h('th', { scope: 'row' }, p.display_name || t('common.erased'),
          p.role ? h('span.role', t(`role.${p.role}`, {}, p.role)) : null),
        h('td', p.checked_out === 'no' ? h('span.badge.warn', { title: t('today.notouthint') }, t('today.notout'))
          : p.check_out ? badge('info', t('today.left')) : p.check_in ? badge('ok', t('today.ispresent'))
          : badge('warn', t('today.notyet')), p.manual ? [' ', badge('info', t('manual.flag'))] : null),
        h('td', fmtTime(p.check_in, tz)),
        h('td', fmtTime(p.check_out, tz))))))));
  }
  card.append(h('p.no-print',
    h('a', { href: `#/reports/presentielijst?session=${encodeURIComponent(s.id)}`, 'data-k': `pl-${s.id}` },
      t('today.presentielijst')), ' · ',
    h('a', { href: `#/followup?session=${encodeURIComponent(s.id)}`, 'data-k': `fu-${s.id}` }, t('today.noshows'))),
  printLinks(s));
  return card;
}
