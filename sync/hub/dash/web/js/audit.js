// audit.js — the Audit page (organisation admins only): who did what when,
// for every export and every change to people, newest first, paged.
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
      { label: t('audit.target'), get: (r) => r.target },
      { label: t('audit.detail'), get: (r) => r.detail },
      { label: t('audit.rows'), get: (r) => (r.rows === null || r.rows === undefined ? '' : String(r.rows)) },
    ], d.rows, t('audit.none')));
  if (d.next) {
    main.append(h('p', h('button.secondary', { type: 'button', on: { click: () => go(`#/audit${qs({ before: d.next })}`) } },
      t('audit.older'))));
  }
}
