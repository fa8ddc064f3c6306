// newcomers.js — "Nieuw aangemeld" on the People page: the newcomers who
// registered themselves at a kiosk (with consent) and wait for a
// coordinator. Approve makes the person (and their card works at the next
// pull); reject removes what they typed (and the kiosk deletes its copy
// at its next pull). Above them the organisation's setting: may newcomers
// register at our kiosks at all ("Ik ben nieuw"; off by default; kiosks
// follow at their next pull). All three are audited by the hub.
// Must not: show a registration's card (only whether there is one).
import { get, post, put, enc } from './api.js';
import { h, clear, message, table, badge, announce, fmtDateTime } from './dom.js';
import { t } from './i18n.js';
import { errorText, reload } from './app.js';
import * as data from './data.js';

// The setting as a checkbox with its label: one keyboard stop (Space).
function setting(d, out) {
  const box = h('input#nc-allowed', { type: 'checkbox', checked: d.allowed, 'aria-describedby': 'nc-allowed-hint' });
  box.addEventListener('change', async () => {
    const want = box.checked;
    box.disabled = true; clear(out);
    try {
      const r = await put('/v1/dash/registrations/setting', { allowed: want });
      box.checked = r.allowed;
      announce(t(r.allowed ? 'newcomers.allowedon' : 'newcomers.allowedoff'));
    } catch (e) { box.checked = !want; out.append(message('error', errorText(e))); }
    box.disabled = false;
  });
  return h('div.field', h('label.check', { for: 'nc-allowed' }, box, t('newcomers.allowed')),
    h('p.hint#nc-allowed-hint', t('newcomers.allowedhint')));
}

export async function section() {
  const d = await get('/v1/dash/registrations');
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
    setting(d, out), out,
    d.registrations.length ? h('p.hint', t('newcomers.hint')) : null,
    !d.registrations.length ? h('p.muted#nc-none', t('newcomers.none')) : table(t('newcomers.count', { n: d.registrations.length }), [
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
