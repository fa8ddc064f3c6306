// followup.js — the Follow-up page: recent sessions with their no-shows
// (enrolled, not present), people who missed their last two sessions (an
// early drop-out signal), a "contacted" mark for each, and a reminder to
// a no-show's contact person (sent by the hub, or prepared as a mailto link
// when no mail server is configured), with the contact addresses it goes to.
import { get, post, put, qs, enc } from './api.js';
import { h, clear, field, message, table, badge, fmtDate, fmtTime, fmtDateTime, announce } from './dom.js';
import { t } from './i18n.js';
import { errorText } from './app.js';

export async function render(main, route) {
  const sid = route.query.get('session');
  main.append(h('h1', t('followup.title')));
  const d = await get('/v1/dash/followup');
  const chosen = sid || (d.sessions.find((s) => s.no_shows > 0) || d.sessions[0] || {}).id;
  const noshow = h('section.card', { 'aria-labelledby': 'ns' });
  main.append(h('div.cols',
    h('section.card', { 'aria-labelledby': 'rs' }, h('h2#rs', t('followup.recent')),
      d.sessions.length ? h('ul.plain', d.sessions.map((s) => h(s.id === chosen ? 'li.selected' : 'li',
        h('a', { href: `#/followup${qs({ session: s.id })}`, 'aria-current': s.id === chosen ? 'true' : null },
          `${fmtDate(s.start, s.timezone)} ${fmtTime(s.start, s.timezone)} · ${s.title}`),
        ' ', s.no_shows ? badge('warn', t('followup.noshowcount', { n: s.no_shows })) : badge('ok', t('followup.allthere')))))
        : h('p.muted', t('followup.nosessions'))),
    noshow));
  if (chosen) await noShows(noshow, chosen);
  else noshow.append(h('h2#ns', t('followup.noshows')), h('p.muted', t('followup.nosessions')));

  main.append(h('section.card', { 'aria-labelledby': 'do' }, h('h2#do', t('followup.dropouts')),
    h('p.hint', t('followup.dropoutshint')),
    table(null, [
      { label: t('common.name'), rowHeader: true, get: (r) => h('a', { href: `#/people/${enc(r.person_id)}` }, r.display_name) },
      { label: t('today.role'), get: (r) => r.role ? t(`role.${r.role}`, {}, r.role) : '' },
      { label: t('plan.programme'), get: (r) => r.programme.title },
      { label: t('followup.missed'), get: (r) => r.missed.map((m) => fmtDate(m.start, m.timezone)).join(', ') },
      { label: t('followup.lastpresent'), get: (r) => r.last_present ? fmtDate(r.last_present) : t('followup.never') },
      { label: t('followup.contacted'), get: (r) => contactButton(r, null) },
    ], d.dropouts, t('followup.nodropouts'))));
  main.append(await contactCard());
}

// Where reminders go: the programme's address, else the organisation's.
async function contactCard() {
  const c = await get('/v1/dash/followup/contact');
  const out = h('div');
  const sel = h('select', h('option', { value: '' }, t('followup.contactorg')),
    c.programmes.map((p) => h('option', { value: p.id }, p.title)));
  const mail = h('input', { type: 'email', maxlength: 254, autocomplete: 'off' });
  const current = () => { const p = c.programmes.find((x) => x.id === sel.value);
    mail.value = (p ? p.email : c.organisation) || ''; };
  sel.addEventListener('change', current);
  current();
  return h('form.card', { 'aria-labelledby': 'ct', on: { submit: async (ev) => {
    ev.preventDefault(); clear(out);
    try {
      const r = await put('/v1/dash/followup/contact', { programme_id: sel.value || undefined, email: mail.value.trim() || null });
      const p = c.programmes.find((x) => x.id === sel.value); if (p) p.email = r.email || null; else c.organisation = r.email || null;
      out.append(message('ok', t('common.saved')));
    } catch (e) { out.append(message('error', errorText(e))); }
  } } }, h('h2#ct', t('followup.contacttitle')),
    h('p.hint', t(c.mail_server ? 'followup.contacthint' : 'followup.contacthintnomail')),
    h('div.row', field(t('followup.contactfor'), sel), field(t('followup.contactemail'), mail),
      h('div.field', h('button.secondary', { type: 'submit' }, t('common.save')))), out);
}

function remindButton(r, sid) {
  const wrap = h('span');
  const paint = () => {
    clear(wrap);
    if (r.reminded) { wrap.append(badge('ok', t('followup.remindedon', { when: fmtDateTime(r.reminded) }))); return; }
    wrap.append(h('button.secondary', { type: 'button', 'aria-label': t('followup.remindx', { name: r.display_name }),
      on: { click: send } }, t('followup.remind')));
  };
  const send = async () => {
    try {
      const res = await post('/v1/dash/followup/remind', { person_id: r.person_id, session_id: sid });
      if (res.state === 'sent') {
        r.reminded = res.at; paint(); announce(t('followup.remindsent', { to: res.to }));
        return;
      }
      const old = wrap.querySelector('.prepared'); if (old) old.remove();
      const text = h('textarea', { rows: 8, cols: 50, readonly: true, value: `${res.subject}\n\n${res.body}` });
      wrap.append(h('div.prepared', message('warn', t('followup.prepared', { to: res.to })),
        h('p', h('a', { href: res.mailto }, t('followup.openmail'))), field(t('followup.message'), text)));
      announce(t('followup.prepared', { to: res.to }));
    } catch (e) {
      if (e.code === 'already_sent') { r.reminded = r.reminded || new Date().toISOString(); paint(); }
      wrap.append(message('error', e.code === 'no_contact' ? t('followup.nocontact')
        : e.code === 'already_sent' ? t('followup.alreadysent') : errorText(e)));
    }
  };
  paint();
  return wrap;
}

async function noShows(sec, sid) {
  let d;
  try { d = await get(`/v1/dash/followup/noshows${qs({ session: sid })}`); }
  catch (e) { sec.append(h('h2#ns', t('followup.noshows')), message('error', errorText(e))); return; }
  const s = d.session;
  sec.append(h('h2#ns', t('followup.noshowsof', { title: s.title })),
    h('p.muted', `${fmtDate(s.start, s.timezone, true)}, ${fmtTime(s.start, s.timezone)} · ${t('followup.expectedpresent', { e: s.expected, p: s.present })}`),
    table(null, [
      { label: t('common.name'), rowHeader: true, get: (r) => h('a', { href: `#/people/${enc(r.person_id)}` }, r.display_name) },
      { label: t('followup.contacted'), get: (r) => contactButton(r, sid) },
      { label: t('followup.reminder'), get: (r) => (r.role ? '' : remindButton(r, sid)) },   // about participants only
    ], d.no_shows, t('followup.allthere')));
}

function contactButton(r, sid) {
  const wrap = h('span');
  const paint = () => {
    clear(wrap);
    if (r.contacted) {
      wrap.append(badge('ok', t('followup.contactedon', { when: fmtDateTime(r.contacted) })), ' ',
        h('button.link', { type: 'button', 'aria-label': t('followup.undox', { name: r.display_name }),
          on: { click: () => mark(false) } }, t('followup.undo')));
    } else {
      wrap.append(h('button.secondary', { type: 'button', 'aria-label': t('followup.markx', { name: r.display_name }),
        on: { click: () => mark(true) } }, t('followup.mark')));
    }
  };
  const mark = async (yes) => {
    try {
      const res = await post('/v1/dash/followup/contacted', { person_id: r.person_id, session_id: sid, contacted: yes });
      r.contacted = res.contacted;
      paint();
      announce(yes ? t('followup.marked', { name: r.display_name }) : t('followup.unmarked', { name: r.display_name }));
      const b = wrap.querySelector('button'); if (b) b.focus();
    } catch (e) { wrap.append(message('error', errorText(e))); }
  };
  paint();
  return wrap;
}
