// agenda.js — the "Agenda-link" card of a person (People page) or a
// programme (Plan page): make a private iCalendar link (GET /v1/ical/...),
// copy it, make a new one (the old one stops working) or revoke it. The
// link is shown once, right after it is made: the hub keeps only a hash.
import { get, post, del, enc } from './api.js';
import { h, clear, message, announce, fmtDateTime } from './dom.js';
import { t } from './i18n.js';
import { errorText } from './app.js';

// kind: 'person' | 'programme'
export function agendaCard(kind, id) {
  const body = h('div');
  const sec = h('section.card', { 'aria-labelledby': 'agenda-h' }, h('h2#agenda-h', t('agenda.title')),
    h('p.hint', t(kind === 'person' ? 'agenda.hintperson' : 'agenda.hintprogramme')), body);
  const base = `/v1/dash/ical/${kind}/${enc(id)}`;
  const show = async (fresh) => {
    clear(body);
    let s;
    try { s = await get(base); } catch (e) { body.append(message('error', errorText(e))); return; }
    if (fresh) {
      const url = h('input#agenda-url', { value: `${location.origin}${fresh}`, readonly: true, size: 60 });
      const copy = h('button', { type: 'button', on: { click: async () => {
        url.select();
        try { await navigator.clipboard.writeText(url.value); } catch { document.execCommand('copy'); }
        announce(t('agenda.copied'));
      } } }, t('agenda.copy'));
      body.append(h('div.row', h('div.field', h('label', { for: 'agenda-url' }, t('agenda.link')), url), h('div.field', copy)),
        h('p.hint', t('agenda.onlyonce')));
    }
    if (s.active) {
      if (!fresh) body.append(h('p', t('agenda.activesince', { when: fmtDateTime(s.created) })));
      body.append(h('div.row',
        h('button.secondary', { type: 'button', on: { click: () => issue() } }, t('agenda.renew')),
        h('button.secondary', { type: 'button', on: { click: async () => {
          try { await del(base); announce(t('agenda.revoked')); show(null); }
          catch (e) { body.append(message('error', errorText(e))); }
        } } }, t('agenda.revoke'))));
    } else {
      body.append(h('p.muted', t('agenda.none')),
        h('button', { type: 'button', on: { click: () => issue() } }, t('agenda.make')));
    }
  };
  const issue = async () => {
    try { const r = await post(base); await show(r.path); announce(t('agenda.made'));
      const u = body.querySelector('#agenda-url'); if (u) u.focus(); }
    catch (e) { body.append(message('error', errorText(e))); }
  };
  show(null);
  return sec;
}
