// funder.js — the coarse fields a funder asks for (docs/DASHBOARD.md
// "Funder fields"): the organisation's switch (admins only, off by default;
// off clears every value), on a person's page their age band and 4-digit
// postcode area with a consent checkbox (only while on), and on the Reports
// page persons present by band and by area, every cell under 5 shown "<5",
// no totals. Must not: offer anything finer than a band or 4 digits, or show
// the fields while the switch is off.
import { get, put, qs, enc } from './api.js';
import { h, clear, field, message, table, announce, localDate } from './dom.js';
import { t } from './i18n.js';
import { errorText, reload, me } from './app.js';

const AREA = /^[1-9][0-9]{3}$/;

// The switch as a checkbox (admins), else a line saying whether it is on.
function toggle(d, out) {
  if (!(me.coordinator && me.coordinator.admin)) {
    return h('p.muted', t(d.enabled ? 'funder.on' : 'funder.off'));
  }
  const box = h('input#fu-enabled', { type: 'checkbox', checked: d.enabled, 'aria-describedby': 'fu-enabled-hint' });
  box.addEventListener('change', async () => {
    const want = box.checked;
    if (!want && !window.confirm(t('funder.offconfirm'))) { box.checked = true; return; }
    box.disabled = true; clear(out);
    try {
      const r = await put('/v1/dash/funder/setting', { enabled: want });
      announce(t(r.enabled ? 'funder.on' : 'funder.off'));
      await reload();
    } catch (e) { box.checked = !want; box.disabled = false; out.append(message('error', errorText(e))); }
  });
  return h('div.field', h('label.check', { for: 'fu-enabled' }, box, t('funder.enabled')),
    h('p.hint#fu-enabled-hint', t('funder.enabledhint')));
}

// The Reports page's section: the switch and, while on, the report.
export async function reportSection(q) {
  const d = await get('/v1/dash/funder');
  const out = h('div');
  const sec = h('section.card.no-print', { 'aria-labelledby': 'fu' }, h('h2#fu', t('funder.title')), toggle(d, out), out);
  if (!d.enabled) return sec;
  const to = q.get('fu_to') || localDate(new Date());
  const from = q.get('fu_from') || `${to.slice(0, 4)}-01-01`;
  const f = h('input', { type: 'date', value: from }), tt = h('input', { type: 'date', value: to });
  const res = h('div');
  const show = async () => {
    clear(res);
    const p = { from: f.value, to: tt.value };
    let r;
    try { r = await get(`/v1/dash/funder/report${qs(p)}`); }
    catch (e) { res.append(message('error', errorText(e))); return; }
    const name = (v) => v === 'unknown' ? t('funder.unknown') : v;
    res.append(h('p.hint', t('funder.suppressed', { n: r.suppress_below })),
      table(t('funder.byband'), [
        { label: t('funder.band'), rowHeader: true, get: (x) => name(x.age_band) },
        { label: t('funder.persons'), num: true, get: (x) => x.count },
      ], r.age_bands),
      table(t('funder.byarea'), [
        { label: t('funder.area'), rowHeader: true, get: (x) => name(x.postcode_area) },
        { label: t('funder.persons'), num: true, get: (x) => x.count },
      ], r.postcode_areas, t('funder.none')),
      h('a.button.secondary.no-print', { href: `/v1/dash/funder/report.csv${qs(p)}`, download: '' }, t('reports.csv')));
  };
  sec.append(h('form.row.no-print', { on: { submit: (ev) => { ev.preventDefault(); show(); } } },
    field(t('reports.from'), f), field(t('reports.to'), tt),
    h('div.field', h('button.secondary', { type: 'submit' }, t('reports.show')))), res);
  await show();
  return sec;
}

// A person's card with the two fields and consent; null while off.
export async function personCard(id) {
  const d = await get(`/v1/dash/people/${enc(id)}/funder`);
  if (!d.enabled) return null;
  const bands = (await get('/v1/dash/funder')).age_bands;
  const consent = h('input#fu-consent', { type: 'checkbox', checked: d.consent });
  const band = h('select', h('option', { value: '' }, '–'),
    bands.map((b) => h('option', { value: b, selected: b === d.age_band }, b)));
  const area = h('input', { value: d.postcode_area || '', maxlength: 4, inputmode: 'numeric',
    autocomplete: 'off' });
  const out = h('div');
  const sync = () => { band.disabled = !consent.checked; area.disabled = !consent.checked; };
  consent.addEventListener('change', sync);
  sync();
  return h('form.card', { 'aria-labelledby': 'fuh', on: { submit: async (ev) => {
    ev.preventDefault(); clear(out);
    const a = area.value.trim();
    if (consent.checked && a && !AREA.test(a)) { out.append(message('error', t('funder.areaformat'))); area.focus(); return; }
    const body = consent.checked ? { consent: true, age_band: band.value || null, postcode_area: a || null }
      : { consent: false };
    try {
      const r = await put(`/v1/dash/people/${enc(id)}/funder`, body);
      if (!r.consent) { band.value = ''; area.value = ''; }
      out.append(message('ok', t(r.consent ? 'common.saved' : 'funder.withdrawn')));
    } catch (e) { out.append(message('error', errorText(e))); }
  } } }, h('h2#fuh', t('funder.title')), h('p.hint', t('funder.personhint')),
  h('div.field', h('label.check', { for: 'fu-consent' }, consent, t('funder.consent'))),
  h('div.row', field(t('funder.band'), band), field(t('funder.area'), area, t('funder.areahint'))),
  out, h('button', { type: 'submit' }, t('common.save')));
}
