// people.js — the People page: list and search, add, edit (display name,
// language, consent date and version), link a card (tap on a kiosk now, or
// type the number the kiosk shows), set a PIN, revoke, and erase with the
// consequences spelled out before the coordinator confirms.
import { agendaCard } from './agenda.js';
import { get, post, patch, put, qs, enc, ApiError } from './api.js';
import { h, clear, field, message, table, badge, announce, fmtDay, shownName } from './dom.js';
import { t } from './i18n.js';
import { errorText, go, reload } from './app.js';
import * as data from './data.js';
import { importPage } from './import.js';
import { passSection } from './passes.js';
import * as newcomers from './newcomers.js';
import * as funder from './funder.js';

// The languages the kiosk speaks (assets/i18n/*.po): a person's language is
// the one the kiosk greets them in, so only these are offered. A language an
// import brought that the kiosk does not have stays shown (the kiosk uses its
// own language for that person) until someone picks one of these.
export const LANGS = ['nl', 'en', 'ar', 'tr', 'uk'];
const LINK_POLL_MS = 2000;

export async function render(main, route) {
  if (route.rest[0] === 'new') return editPage(main, null);
  if (route.rest[0] === 'import') return importPage(main);
  if (route.rest[0]) return personPage(main, route.rest[0]);
  return listPage(main, route.query.get('q') || '');
}

async function listPage(main, q) {
  const d = await get(`/v1/dash/people${qs({ q })}`);
  const pending = await newcomers.section();
  const search = h('input', { type: 'search', value: q, name: 'q' });
  main.append(h('div.spread', h('h1', t('people.title')),
    h('div.row', h('a.button.secondary', { href: '#/people/import' }, t('import.open')),
      h('a.button', { href: '#/people/new' }, t('people.add')))),
  pending,
  h('form.row', { role: 'search', on: { submit: (ev) => { ev.preventDefault();
    go(`#/people${qs({ q: search.value.trim() })}`); } } },
  field(t('people.search'), search), h('div.field', h('button.secondary', { type: 'submit' }, t('people.find')))),
  table(t('people.count', { n: d.people.length }), [
    { label: t('common.name'), rowHeader: true, get: (p) => h('a', { href: `#/people/${enc(p.id)}` }, shownName(p.display_name)) },
    { label: t('people.lang'), get: (p) => t(`lang.${p.lang}`, {}, p.lang) },
    { label: t('people.consent'), get: (p) => p.consent_date ? `${fmtDay(p.consent_date)} (${p.consent_version || '–'})` : badge('warn', t('people.noconsent')) },
    { label: t('people.access'), get: (p) => [p.cards ? badge('ok', t('people.cards', { n: p.cards })) : null, ' ',
      p.pin ? badge('ok', t('people.haspin')) : null, !p.cards && !p.pin ? h('span.muted', t('people.noaccess')) : null] },
  ], d.people, t('people.none')));
}

function personForm(p, onSaved) {
  const name = h('input', { value: p ? p.display_name : '', required: true, maxlength: 120, autocomplete: 'off' });
  const first = h('input', { value: p ? p.first_name : '', maxlength: 120, autocomplete: 'off' });
  const langs = p && p.lang && !LANGS.includes(p.lang) ? [...LANGS, p.lang] : LANGS;
  const lang = h('select', langs.map((l) => h('option', { value: l, selected: p ? p.lang === l : l === 'nl' },
    LANGS.includes(l) ? t(`lang.${l}`) : t('people.langnokiosk', { lang: t(`lang.${l}`, {}, l) }))));
  const cdate = h('input', { type: 'date', value: p ? p.consent_date || '' : '' });
  const cver = h('input', { value: p ? p.consent_version || '' : '', maxlength: 30 });
  const out = h('div');
  return h('form.card', { 'aria-labelledby': 'pf', on: { submit: async (ev) => {
    ev.preventDefault(); clear(out);
    if (!name.value.trim()) { out.append(message('error', t('people.nameneeded'))); name.focus(); return; }
    const body = { display_name: name.value.trim(), first_name: first.value.trim(), lang: lang.value,
      consent_date: cdate.value || null, consent_version: cver.value.trim() || null };
    try {
      const r = p ? await patch(`/v1/dash/people/${enc(p.id)}`, body) : await post('/v1/dash/people', body);
      data.forget();
      onSaved(r, out);
    } catch (e) { out.append(message('error', errorText(e))); }
  } } }, h('h2#pf', p ? t('people.details') : t('people.new')), out,
  field(t('people.displayname'), name, t('people.displayhint')),
  field(t('people.firstname'), first, t('people.firsthint')),
  field(t('people.lang'), lang),
  h('fieldset', h('legend', t('people.consent')),
    h('div.row', field(t('people.consentdate'), cdate), field(t('people.consentversion'), cver)),
    h('p.hint', t('people.consenthint'))),
  h('button', { type: 'submit' }, t('common.save')));
}

async function editPage(main) {
  main.append(h('p', h('a', { href: '#/people' }, `← ${t('people.title')}`)), h('h1', t('people.new')),
    personForm(null, (r) => go(`#/people/${enc(r.id)}`)));
}

async function personPage(main, id) {
  const [p, setup] = await Promise.all([get(`/v1/dash/people/${enc(id)}`), data.setup()]);
  main.append(h('p', h('a', { href: '#/people' }, `← ${t('people.title')}`)), h('h1', shownName(p.display_name)));
  main.append(personForm(p, (r, out) => { out.append(message('ok', t('common.saved')));
    main.querySelector('h1').textContent = r.display_name; }));
  main.append(accessCard(p, setup), agendaCard('person', p.id), eraseCard(p));
  const fu = await funder.personCard(p.id).catch(() => null);
  if (fu) main.insertBefore(fu, main.lastChild);
}

function accessCard(p, setup) {
  const out = h('div');
  const active = p.credentials.filter((c) => c.active);
  const sec = h('section.card', { 'aria-labelledby': 'acc' }, h('h2#acc', t('people.accesstitle')), out);
  // cards by number and link date, never by their code (the MAC)
  let nc = 0;
  sec.append(active.length ? h('ul.plain', active.map((c) => h('li',
    c.kind === 'card' ? (++nc, c.linked_at ? t('people.cardnat', { n: nc, date: fmtDay(c.linked_at) }) : t('people.cardn', { n: nc }))
      : c.kind === 'qr' ? t('pass.active') : t('people.pinset'))))
    : h('p.muted', t('people.noaccess')));

  // Link a card: tap it on a kiosk now
  const kiosks = setup.devices.filter((d) => d.status === 'active');
  const dev = h('select', kiosks.map((d) => h('option', { value: d.id }, `${d.name || d.id} (${d.location_name})`)));
  const status = h('div', { role: 'status' });
  const tapBtn = h('button', { type: 'submit', disabled: !kiosks.length }, t('people.tapstart'));
  sec.append(h('h3', t('people.linkcard')),
    h('form.row', { on: { submit: async (ev) => {
      ev.preventDefault(); clear(out); clear(status);
      try {
        const r = await post(`/v1/dash/people/${enc(p.id)}/card-link`, { device_id: dev.value });
        status.append(message('warn', t('people.tapnow', { kiosk: dev.options[dev.selectedIndex].text })));
        tapBtn.disabled = true;
        pollLink(p, r.expires, status, () => { tapBtn.disabled = false; });
      } catch (e) { out.append(message('error', errorText(e))); }
    } } }, field(t('people.onkiosk'), dev, kiosks.length ? null : t('people.nokiosk')), h('div.field', tapBtn)),
    status);

  // ...or type the number the kiosk shows
  const num = h('input', { inputmode: 'text', autocomplete: 'off', maxlength: 32, spellcheck: 'false' });
  sec.append(h('form.row', { on: { submit: async (ev) => {
    ev.preventDefault(); clear(out);
    if (!num.value.trim()) return;
    try { await post(`/v1/dash/people/${enc(p.id)}/card`, { number: num.value.trim() });
      num.value = ''; announce(t('people.cardlinked')); reload(); }
    catch (e) { out.append(message('error', e instanceof ApiError && e.status === 409 ? t('people.cardtaken') : errorText(e))); }
  } } }, field(t('people.cardnumber'), num, t('people.cardnumberhint')),
  h('div.field', h('button.secondary', { type: 'submit' }, t('people.linkbynumber')))));

  // PIN
  const pin = h('input', { type: 'password', inputmode: 'numeric', autocomplete: 'new-password', pattern: '[0-9]{4,8}', maxlength: 8 });
  sec.append(h('h3', t('people.pin')), h('form.row', { on: { submit: async (ev) => {
    ev.preventDefault(); clear(out);
    if (!/^[0-9]{4,8}$/.test(pin.value)) { out.append(message('error', t('people.pinformat'))); pin.focus(); return; }
    try { await put(`/v1/dash/people/${enc(p.id)}/pin`, { pin: pin.value }); pin.value = '';
      announce(t('people.pinsaved')); reload(); }
    catch (e) { out.append(message('error', e instanceof ApiError && e.status === 409 ? t('people.pintaken') : errorText(e))); }
  } } }, field(t('people.newpin'), pin, t('people.pinhint')), h('div.field', h('button.secondary', { type: 'submit' }, t('people.setpin')))));

  sec.append(passSection(p));

  // Revoke
  if (active.length) {
    const revoke = async (kind) => {
      clear(out);
      try { const r = await post(`/v1/dash/people/${enc(p.id)}/revoke`, { kind });
        announce(t('people.revoked', { n: r.revoked })); reload(); }
      catch (e) { out.append(message('error', errorText(e))); }
    };
    sec.append(h('h3', t('people.revoke')), h('p.hint', t('people.revokehint')), h('div.row',
      active.some((c) => c.kind === 'card') ? h('button.secondary', { type: 'button', on: { click: () => revoke('card') } }, t('people.revokecards')) : null,
      active.some((c) => c.kind === 'pin') ? h('button.secondary', { type: 'button', on: { click: () => revoke('pin') } }, t('people.revokepin')) : null));
  }
  return sec;
}

function pollLink(p, expires, status, done) {
  const until = Date.parse(expires) || Date.now() + 120000;
  const tick = async () => {
    if (!document.body.contains(status)) { done(); return; }
    try {
      const r = await get(`/v1/dash/people/${enc(p.id)}/card-link`);
      if (r.state === 'linked') { clear(status).append(message('ok', t('people.cardlinked'))); done(); setTimeout(reload, 1500); return; }
      if (r.state !== 'waiting' || Date.now() > until) { clear(status).append(message('error', t('people.tapexpired'))); done(); return; }
    } catch (e) { clear(status).append(message('error', errorText(e))); done(); return; }
    setTimeout(tick, LINK_POLL_MS);
  };
  setTimeout(tick, LINK_POLL_MS);
}

function eraseCard(p) {
  const out = h('div');
  const understand = h('input', { type: 'checkbox' });
  const confirmName = h('input', { autocomplete: 'off' });
  const btn = h('button.danger', { type: 'submit' }, t('people.erasenow', { name: p.display_name }));
  const step2 = h('form', { hidden: true, on: { submit: async (ev) => {
    ev.preventDefault(); clear(out);
    if (!understand.checked || confirmName.value.trim() !== p.display_name) {
      out.append(message('error', t('people.eraseconfirmneeded'))); return;
    }
    btn.disabled = true;
    try {
      const r = await post(`/v1/dash/people/${enc(p.id)}/erase`, { confirm: confirmName.value.trim() });
      data.forget();
      announce(t('people.erased', { n: r.events_anonymised }));
      go('#/people');
    } catch (e) { out.append(message('error', errorText(e))); btn.disabled = false; }
  } } },
  h('h3', t('people.erasewhat')),
  h('ul', ['erase1', 'erase2', 'erase3', 'erase4', 'erase5'].map((k) => h('li', t(`people.${k}`, { name: p.display_name })))),
  h('div.field', h('label.check', understand, t('people.eraseunderstand'))),
  field(t('people.erasetype', { name: p.display_name }), confirmName),
  btn);
  const open = h('button.secondary', { type: 'button', 'aria-expanded': 'false', on: { click: () => {
    step2.hidden = false; open.setAttribute('aria-expanded', 'true'); open.hidden = true; understand.focus();
  } } }, t('people.erase'));
  return h('section.card.danger-zone', { 'aria-labelledby': 'er' }, h('h2#er', t('people.erasetitle')),
    h('p', t('people.eraseintro')), out, open, step2);
}
