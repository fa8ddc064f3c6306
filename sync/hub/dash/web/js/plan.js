// plan.js — the Plan page: programmes, sessions (one-off or a weekly series),
// enrolments, and volunteer roles per session with their slots (catering x2,
// rolmodel x5) and the open slots. Changes reach kiosks on their next sync.
import { agendaCard } from './agenda.js';
import { get, post, patch, del, enc } from './api.js';
import { h, clear, field, message, fmtTime, fmtDate, table, badge, announce, titleInput, shownName } from './dom.js';
import { t } from './i18n.js';
import { errorText, go, reload } from './app.js';
import * as data from './data.js';

const KINDS = ['group', 'coaching', 'open', 'intake'];
// What the last change said ("8 bijeenkomsten toegevoegd."), shown once on
// the page that the change leads to.
let flash = '';
// The last series added (per programme): its place, times and role slots
// stay in the form after saving, for the next series.
let lastSeries = null;

export async function render(main, route) {
  const [kind, id] = route.rest;
  if (kind === 'p' && id) return programmePage(main, id);
  if (kind === 's' && id) return sessionPage(main, id);
  return listPage(main);
}

async function listPage(main) {
  const d = await get('/v1/dash/programmes');
  const title = titleInput('', 150);
  const out = h('div');
  const form = h('form.card', { on: { submit: async (ev) => {
    ev.preventDefault(); clear(out);
    if (!title.value.trim()) { out.append(message('error', t('plan.titleneeded'))); title.focus(); return; }
    try {
      const p = await post('/v1/dash/programmes', { title: title.value.trim() });
      location.hash = `#/plan/p/${enc(p.id)}`;
    } catch (e) { out.append(message('error', errorText(e))); }
  } } }, h('h2', t('plan.newprogramme')), out, field(t('plan.programmetitle'), title),
  h('button', { type: 'submit' }, t('plan.create')));
  main.append(h('h1', t('plan.title')),
    h('section', { 'aria-labelledby': 'progs' }, h('h2#progs', t('plan.programmes')),
      table(null, [
        { label: t('plan.programme'), rowHeader: true, get: (p) => h('a', { href: `#/plan/p/${enc(p.id)}` }, p.title) },
        { label: t('plan.sessions'), num: true, get: (p) => String(p.sessions) },
        { label: t('plan.enrolled'), num: true, get: (p) => String(p.enrolled) },
      ], d.programmes, t('plan.noprogrammes'))),
    form);
}

function slotText(s, setup) {
  if (!s.slots || !s.slots.length) return '';
  return s.slots.map((x) => `${data.roleLabel(setup, x.role)} ${x.filled}/${x.slots}`).join(', ');
}
function openSlots(s) {
  return (s.slots || []).reduce((n, x) => n + Math.max(0, x.slots - x.filled), 0);
}

async function programmePage(main, id) {
  const [p, setup, everyone] = await Promise.all([get(`/v1/dash/programmes/${enc(id)}`), data.setup(), data.people()]);
  main.append(h('p.no-print', h('a', { href: '#/plan' }, `← ${t('plan.programmes')}`)),
    h('h1', p.title));
  if (flash) { main.append(message('ok', flash)); flash = ''; }

  // Rename
  const ptitle = titleInput(p.title, 150);
  const pout = h('div');
  main.append(h('form.card.row', { on: { submit: async (ev) => {
    ev.preventDefault(); clear(pout);
    try { await patch(`/v1/dash/programmes/${enc(id)}`, { title: ptitle.value.trim() });
      pout.append(message('ok', t('common.saved'))); main.querySelector('h1').textContent = ptitle.value.trim();
    } catch (e) { pout.append(message('error', errorText(e))); }
  } } }, field(t('plan.programmetitle'), ptitle), h('div.field', h('button.secondary', { type: 'submit' }, t('common.save'))), pout));
  main.append(agendaCard('programme', id));

  // Sessions
  const tzOf = (s) => (s.location && s.location.timezone) || 'Europe/Amsterdam';
  main.append(h('section', { 'aria-labelledby': 'sess' }, h('h2#sess', t('plan.sessions')),
    table(null, [
      { label: t('plan.date'), rowHeader: true, get: (s) => h('a', { href: `#/plan/s/${enc(s.id)}` }, fmtDate(s.start, tzOf(s))) },
      { label: t('plan.time'), get: (s) => `${fmtTime(s.start, tzOf(s))}–${fmtTime(s.end, tzOf(s))}` },
      { label: t('plan.sessiontitle'), get: (s) => [s.title, s.cancelled ? [' ', badge('bad', t('plan.cancelled'))] : null] },
      { label: t('plan.location'), get: (s) => [s.location ? s.location.name : '', s.room ? ` · ${s.room}` : ''] },
      { label: t('plan.roles'), get: (s) => slotText(s, setup) },
      { label: t('plan.open'), num: true, get: (s) => {
        const n = openSlots(s); return n ? badge('warn', String(n)) : badge('ok', '0'); } },
    ], p.sessions, t('plan.nosessions'))));

  main.append(seriesForm(id, setup));
  if (p.sessions.length) main.append(seriesAssign(p, setup, everyone));
  main.append(enrolSection(p, everyone));
}

function seriesForm(progId, setup) {
  const was = lastSeries && lastSeries.programme_id === progId ? lastSeries : null;
  const title = titleInput('', 150);
  const locSel = h('select', setup.locations.map((l) => h('option', { value: l.id, selected: was && was.location_id === l.id }, l.name)));
  const room = h('input', { maxlength: 60, value: was ? was.room : '' });
  const kind = h('select', KINDS.map((k) => h('option', { value: k, selected: was && was.kind === k }, t(`kind.${k}`))));
  const date = h('input', { type: 'date', required: true });
  const start = h('input', { type: 'time', value: was ? was.start : '14:00', required: true });
  const end = h('input', { type: 'time', value: was ? was.end : '16:00', required: true });
  const count = h('input', { type: 'number', min: 1, max: 52, value: 1 });
  const slots = setup.roles.map((r) => ({ role: r.role,
    input: h('input', { type: 'number', min: 0, max: 50,
      value: was && was.slots[r.role] !== undefined ? was.slots[r.role] : r.default_slots || 0 }) }));
  const out = h('div');
  const btn = h('button', { type: 'submit' }, t('plan.addsessions'));
  return h('form.card', { 'aria-labelledby': 'newsess', on: { submit: async (ev) => {
    ev.preventDefault(); clear(out);
    if (!title.value.trim() || !date.value || !start.value || !end.value) {
      out.append(message('error', t('plan.fillall'))); return;
    }
    const body = { programme_id: progId, location_id: locSel.value, title: title.value.trim(), room: room.value.trim(),
      kind: kind.value, date: date.value, start: start.value, end: end.value,
      repeat_weekly: parseInt(count.value, 10) || 1, slots: {} };
    for (const s of slots) body.slots[s.role] = parseInt(s.input.value, 10) || 0;
    btn.disabled = true;
    try {
      const r = await post('/v1/dash/sessions', body);
      flash = t('plan.created', { n: r.sessions.length });
      lastSeries = body;
      announce(flash);
      data.forget();
      go(`#/plan/p/${enc(progId)}`);
    } catch (e) { out.append(message('error', errorText(e))); } finally { btn.disabled = false; }
  } } },
  h('h2#newsess', t('plan.newsessions')), h('p.hint', t('plan.serieshint')), out,
  field(t('plan.sessiontitle'), title),
  h('div.row', field(t('plan.location'), locSel), field(t('plan.room'), room), field(t('plan.kind'), kind)),
  h('div.row', field(t('plan.firstdate'), date), field(t('plan.start'), start), field(t('plan.end'), end),
    field(t('plan.weeks'), count, t('plan.weekshint'))),
  h('fieldset', h('legend', t('plan.slots')),
    h('div.row', slots.map((s) => field(data.roleLabel(setup, s.role), s.input)))),
  btn);
}

// One volunteer in one role at every coming session of the programme (not
// cancelled, with slots for that role); says how many it was, and where the
// role was already full.
function seriesAssign(p, setup, everyone) {
  const who = h('select', h('option', { value: '' }, t('plan.choose')),
    everyone.map((x) => h('option', { value: x.id }, shownName(x.display_name))));
  const role = h('select', setup.roles.map((r) => h('option', { value: r.role }, data.roleLabel(setup, r.role))));
  const out = h('div');
  const btn = h('button', { type: 'submit' }, t('plan.assignall'));
  return h('form.card', { 'aria-labelledby': 'sa', on: { submit: async (ev) => {
    ev.preventDefault(); clear(out);
    if (!who.value) { out.append(message('error', t('plan.choosewho'))); return; }
    const coming = p.sessions.filter((s) => !s.cancelled && Date.parse(s.start) > Date.now() &&
      (s.slots || []).some((x) => x.role === role.value && x.slots > 0));
    if (!coming.length) { out.append(message('error', t('plan.noslotsahead'))); return; }
    btn.disabled = true;
    let done = 0, full = 0;
    for (const s of coming) {
      try { await post(`/v1/dash/sessions/${enc(s.id)}/assignments`, { person_id: who.value, role: role.value }); done++; }
      catch (e) { if (e.status === 409) full++; else out.append(message('error', `${fmtDate(s.start)}: ${errorText(e)}`)); }
    }
    btn.disabled = false;
    const name = who.options[who.selectedIndex].textContent;
    flash = t('plan.assignedall', { n: done, name, role: data.roleLabel(setup, role.value) }) +
      (full ? ` ${t('plan.assignfull', { n: full })}` : '');
    announce(flash);
    reload();
  } } }, h('h2#sa', t('plan.assigntitle')), h('p.hint', t('plan.assignhint')), out,
  h('div.row', field(t('plan.volunteer'), who), field(t('plan.role'), role), h('div.field', btn)));
}

// Enrolments: who is in, and several people enrolled at once (tick them,
// one button); says how many were enrolled.
function enrolSection(p, everyone) {
  const enrolled = new Set(p.enrolled.map((e) => e.person_id));
  const others = everyone.filter((x) => !enrolled.has(x.id));
  const boxes = others.map((x) => ({ id: x.id, name: shownName(x.display_name), box: h('input', { type: 'checkbox', value: x.id }) }));
  for (const b of boxes) b.li = h('li', h('label.check', b.box, b.name));
  const out = h('div');
  // narrow the list by name (the ticked stay ticked when hidden)
  const filter = h('input', { type: 'search', autocomplete: 'off', on: { input: () => {
    const q = filter.value.trim().toLowerCase();
    for (const b of boxes) b.li.hidden = q !== '' && !b.name.toLowerCase().includes(q);
  } } });
  const enrolMany = async (ev) => {
    ev.preventDefault(); clear(out);
    const chosen = boxes.filter((b) => b.box.checked);
    if (!chosen.length) { out.append(message('error', t('plan.choosesome'))); return; }
    let n = 0;
    for (const b of chosen) {
      try { await post(`/v1/dash/programmes/${enc(p.id)}/enrolments`, { person_id: b.id }); n++; }
      catch (err) { out.append(message('error', `${b.name}: ${errorText(err)}`)); }
    }
    if (n) { flash = t('plan.enrolledn', { n }); announce(flash); data.forget(); reload(); }
  };
    return h('section.card', { 'aria-labelledby': 'enr' }, h('h2#enr', t('plan.enrolments', { n: p.enrolled.length })), out,
    p.enrolled.length ? h('ul.plain', p.enrolled.map((e) => h('li.spread', h('span', e.display_name),
      h('button.link', { type: 'button', 'aria-label': t('plan.unenrolx', { name: e.display_name }), on: { click: async () => {
        try { await del(`/v1/dash/programmes/${enc(p.id)}/enrolments/${enc(e.person_id)}`); reload(); }
        catch (err) { out.append(message('error', errorText(err))); }
      } } }, t('plan.unenrol'))))) : h('p.muted', t('plan.noenrolled')),
    others.length ? h('form', { on: { submit: enrolMany } },
      h('fieldset', h('legend', t('plan.enrolpeople')), field(t('plan.filtername'), filter),
        h('ul.plain.picks', boxes.map((b) => b.li))),
      h('button', { type: 'submit' }, t('plan.enrolchecked'))) : null);
}

async function sessionPage(main, id) {
  const [s, setup, everyone] = await Promise.all([get(`/v1/dash/sessions/${enc(id)}`), data.setup(), data.people()]);
  const tz = s.location.timezone;
    main.append(h('p.no-print', s.programme ? h('a', { href: `#/plan/p/${enc(s.programme.id)}` }, `← ${s.programme.title}`)
    : h('a', { href: '#/plan' }, `← ${t('plan.programmes')}`)),
  h('h1', s.title),
  h('p.muted', `${fmtDate(s.start, tz, true)}, ${fmtTime(s.start, tz)}–${fmtTime(s.end, tz)} · ${s.location.name}`,
    s.room ? ` · ${s.room}` : '', s.cancelled ? [' ', badge('bad', t('plan.cancelled'))] : null));

  // Roles and open slots
  const sec = h('section.card', { 'aria-labelledby': 'rl' }, h('h2#rl', t('plan.roles')));
  const out = h('div');
  sec.append(out);
  for (const slot of s.slots) {
    const who = s.assignments.filter((a) => a.role === slot.role);
    const open = Math.max(0, slot.slots - who.length);
    const taken = new Set(who.map((a) => a.person_id));
    const sel = h('select', h('option', { value: '' }, t('plan.choose')),
      everyone.filter((x) => !taken.has(x.id)).map((x) => h('option', { value: x.id }, x.display_name)));
    const label = data.roleLabel(setup, slot.role);
    sec.append(h('div.role', { 'data-role': slot.role },
      h('h3', `${label} `, open ? badge('warn', t('plan.openslots', { n: open })) : badge('ok', t('plan.full')),
        h('span.muted', ` (${who.length}/${slot.slots})`)),
      who.length ? h('ul.plain', who.map((a) => h('li.spread', h('span', a.display_name),
        h('button.link', { type: 'button', 'aria-label': t('plan.removex', { name: a.display_name, role: label }), on: { click: async () => {
          try { await del(`/v1/dash/sessions/${enc(id)}/assignments/${enc(a.person_id)}/${enc(a.role)}`); reload(); }
          catch (e) { out.append(message('error', errorText(e))); }
        } } }, t('common.remove'))))) : null,
      open ? h('form.row', { on: { submit: async (ev) => {
        ev.preventDefault(); clear(out);
        if (!sel.value) return;
        try { await post(`/v1/dash/sessions/${enc(id)}/assignments`, { person_id: sel.value, role: slot.role }); reload(); }
        catch (e) { out.append(message('error', errorText(e))); }
      } } }, field(t('plan.assignas', { role: label }), sel), h('div.field', h('button', { type: 'submit' }, t('plan.assign')))) : null));
  }
  if (!s.slots.length) sec.append(h('p.muted', t('plan.noslots')));
  main.append(sec);
  main.append(editSession(s, setup, reload));
}

function editSession(s, setup, reload) {
  const tz = s.location.timezone;
  const title = titleInput(s.title, 150);
  const room = h('input', { value: s.room, maxlength: 60 });
  const date = h('input', { type: 'date', value: localDateIn(s.start, tz) });
  const start = h('input', { type: 'time', value: fmtTime24(s.start, tz) });
  const end = h('input', { type: 'time', value: fmtTime24(s.end, tz) });
  const kind = h('select', KINDS.map((k) => h('option', { value: k, selected: k === s.kind }, t(`kind.${k}`))));
  const cancelled = h('input', { type: 'checkbox', checked: s.cancelled });
  const slots = setup.roles.map((r) => {
    const cur = s.slots.find((x) => x.role === r.role);
    return { role: r.role, input: h('input', { type: 'number', min: 0, max: 50, value: cur ? cur.slots : 0 }) };
  });
  const out = h('div');
  return h('form.card', { 'aria-labelledby': 'ed', on: { submit: async (ev) => {
    ev.preventDefault(); clear(out);
    const body = { title: title.value.trim(), room: room.value.trim(), kind: kind.value, date: date.value,
      start: start.value, end: end.value, cancelled: cancelled.checked, slots: {} };
    for (const x of slots) body.slots[x.role] = parseInt(x.input.value, 10) || 0;
    try { await patch(`/v1/dash/sessions/${enc(s.id)}`, body); reload(); }
    catch (e) { out.append(message('error', errorText(e))); }
  } } }, h('h2#ed', t('plan.editsession')), out,
  field(t('plan.sessiontitle'), title),
  h('div.row', field(t('plan.date'), date), field(t('plan.start'), start), field(t('plan.end'), end),
    field(t('plan.room'), room), field(t('plan.kind'), kind)),
  h('fieldset', h('legend', t('plan.slots')), h('div.row', slots.map((x) => field(data.roleLabel(setup, x.role), x.input)))),
  h('div.field', h('label.check', cancelled, t('plan.cancelsession'))),
  h('button', { type: 'submit' }, t('common.save')));
}

function localDateIn(iso, tz) {
  return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: tz }).format(new Date(iso));
}
function fmtTime24(iso, tz) {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: tz }).format(new Date(iso));
}
