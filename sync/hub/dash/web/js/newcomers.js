// newcomers.js — "Nieuw aangemeld" on the People page: the newcomers who
// registered themselves at a kiosk (with consent) and wait for a
// coordinator. Approve makes the person (and their card works at the next
// pull); reject removes what they typed. Both are audited by the hub.
// Must not: show a registration's card (only whether there is one).
import { get, post, enc } from './api.js';
import { h, clear, message, table, badge, announce, fmtDateTime } from './dom.js';
import { t } from './i18n.js';
import { errorText, reload } from './app.js';
import * as data from './data.js';

export async function section() {
  const d = await get('/v1/dash/registrations');
  if (!d.registrations.length) return null;
  const out = h('div');
  const act = (r, what) => async (ev) => {
    ev.target.disabled = true; clear(out);
    try {
      const res = await post(`/v1/dash/registrations/${enc(r.id)}/${what}`);
      data.forget();
      announce(what === 'approve'
        ? t(res.card === 'taken' ? 'newcomers.approvedtaken' : 'newcomers.approved', { name: r.display_name })
        : t('newcomers.rejected'));
      await reload();
    } catch (e) { ev.target.disabled = false; out.append(message('error', errorText(e))); }
  };
  return h('section.card', { 'aria-labelledby': 'nc' }, h('h2#nc', t('newcomers.title')),
    h('p.hint', t('newcomers.hint')), out,
    table(t('newcomers.count', { n: d.registrations.length }), [
      { label: t('common.name'), rowHeader: true, get: (r) => r.display_name },
      { label: t('people.lang'), get: (r) => t(`lang.${r.lang}`, {}, r.lang) },
      { label: t('newcomers.where'), get: (r) => [r.location, ' ', fmtDateTime(r.received_at)] },
      { label: t('people.consent'), get: (r) => `${fmtDateTime(r.consent_at)} (${r.consent_version})` },
      { label: t('newcomers.card'), get: (r) => r.card ? badge('ok', t('common.yes')) : h('span.muted', t('common.no')) },
      { label: t('newcomers.decide'), get: (r) => h('div.row',
        h('button', { type: 'button', 'aria-label': t('newcomers.approvename', { name: r.display_name }),
          on: { click: act(r, 'approve') } }, t('newcomers.approve')),
        h('button.secondary', { type: 'button', 'aria-label': t('newcomers.rejectname', { name: r.display_name }),
          on: { click: act(r, 'reject') } }, t('newcomers.reject'))) },
    ], d.registrations));
}
