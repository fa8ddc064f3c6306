// audit.js — the Audit page (organisation admins only): who did what when,
// for every export and every change to people, newest first, paged. What a
// row concerns is said in words (a name, a session's title, "organisatie"),
// never as an id; an erased person is "verwijderde persoon".
import { get, qs } from './api.js';
import { h, table, fmtDateTime } from './dom.js';
import { t } from './i18n.js';
import { go } from './app.js';

export async function render(main, route) {
  const before = route.query.get('before') || '';
  const d = await get(`/v1/dash/audit${qs({ before, limit: 100 })}`);
  main.append(h('h1', t('audit.title')), h('p.hint', t('audit.hint')),
    table(null, [
      { label: t('audit.when'), rowHeader: true, get: (r) => fmtDateTime(r.at) },
      { label: t('audit.who'), get: (r) => r.coordinator },
      { label: t('audit.what'), get: (r) => t(`audit.a.${r.action}`, {}, r.action) },
      { label: t('audit.target'), get: target },
      { label: t('audit.detail'), get: detail },
      { label: t('audit.rows'), get: (r) => (r.rows === null || r.rows === undefined ? '' : String(r.rows)) },
    ], d.rows, t('audit.none')));
  if (d.next) {
    main.append(h('p', h('button.secondary', { type: 'button', on: { click: () => go(`#/audit${qs({ before: d.next })}`) } },
      t('audit.older'))));
  }
}

// What a row concerns, in words (the hub sends target_kind and target_label).
function target(r) {
  if (r.target_kind === 'person') {
    return r.target_label || (r.target_erased ? t('audit.erasedperson') : t('audit.unknownperson'));
  }
  if (r.target_kind === 'organisation') return t('audit.organisation');
  if (r.target_label) return r.target_label;
  return r.target;
}
// The detail in words where it is a code: role, changed fields, counts; a
// card's code (ref=...) is not shown.
const FIELDS = ['display_name', 'first_name', 'lang', 'consent'];
function detail(r) {
  const d = r.detail || '';
  if (r.detail_label) return r.detail_label;
  if (/^assignment\./.test(r.action)) return t(`role.${d}`, {}, d);
  if (/^person\.(create|update)$/.test(r.action) && d) {
    return d.split(',').map((f) => (FIELDS.includes(f) ? t(`audit.f.${f}`) : f)).join(', ');
  }
  if (r.action === 'person.card' || /^ref=/.test(d)) return t('audit.d.card');
  let m = /^events_anonymised=(\d+)$/.exec(d);
  if (m) return t('audit.d.anonymised', { n: Number(m[1]) });
  m = /^kind=(card|qr|pin)$/.exec(d);
  if (m) return t(`audit.d.${m[1]}`);
  if (/^ical\./.test(r.action)) return '';   /* person or programme: Betreft says which */
  if (['session', 'token', 'set', 'cleared'].includes(d)) return t(`audit.d.${d}`);
  return d;
}
