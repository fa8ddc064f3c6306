// import.js — the People page's import (#/people/import): the coordinator
// picks what to import and a .csv or .xlsx file; the hub checks it (a dry
// run) and we show the first lines and every problem with its line number;
// "Importeren" is enabled only when there is no problem, and then the hub
// imports all lines or none (POST /v1/dash/import/KIND, sync/PROTOCOL.md).
import { post, ApiError } from './api.js';
import { h, clear, field, message, table, announce } from './dom.js';
import { t } from './i18n.js';
import { errorText } from './app.js';
import * as data from './data.js';

// Columns per kind: [required, optional] (as svc/import.c).
const KINDS = {
  people: [['person_id', 'display_name'], ['first_name', 'language', 'consent_date', 'consent_version', 'roles']],
  enrolments: [['programme_id', 'person_id'], ['active']],
  assignments: [['session_id', 'person_id', 'role'], ['active']],
  programmes: [['programme_id', 'title'], []],
};
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MAX_BYTES = 1024 * 1024;

// The file as a Blob with the type the hub reads it by.
function asBody(file) {
  const xlsx = /\.xlsx$/i.test(file.name) || file.type === XLSX;
  return new Blob([file], { type: xlsx ? XLSX : 'text/csv' });
}

// The hub's (English) problem messages in the page's language, where known.
const MSG = [
  [/^required$/, () => t('import.m.required')],
  [/^longer than (\d+) bytes$/, (m) => t('import.m.toolong', { n: m[1] })],
  [/^control characters/, () => t('import.m.control')],
  [/^an id has no spaces$/, () => t('import.m.idspace')],
  [/^a language code/, () => t('import.m.lang')],
  [/^a date YYYY-MM-DD/, () => t('import.m.date')],
  [/^1\/0, yes\/no/, () => t('import.m.active')],
  [/^(person|programme|session) '(.*)' not found/, (m) => t(`import.m.no${m[1]}`, { id: m[2] })],
  [/^column '(.*)' is missing/, (m) => t('import.m.missingcol', { col: m[1] })],
];
function say(msg) {
  for (const [re, f] of MSG) { const m = re.exec(msg); if (m) return f(m); }
  return msg;
}

function problemsTable(d) {
  return [h('h3', t('import.problems')),
    table(null, [
      { label: t('import.line'), num: true, get: (e) => e.line || '–' },
      { label: t('import.column'), get: (e) => e.column || '–' },
      { label: t('import.problem'), get: (e) => say(e.message) },
    ], d.errors),
    d.errors_total > d.errors.length ? h('p.muted', t('import.more', { n: d.errors_total - d.errors.length })) : ''];
}

function previewTable(d) {
  if (!d.preview.length) return null;
  const cols = [{ label: t('import.line'), num: true, get: (r) => r.line }]
    .concat(d.columns.map((c, i) => ({ label: c, get: (r) => r.cells[i] })));
  return [h('h3', t('import.preview', { n: d.preview.length })), table(null, cols, d.preview)];
}

export async function importPage(main) {
  const kind = h('select', { name: 'kind' }, Object.keys(KINDS).map((k) => h('option', { value: k }, t(`import.k.${k}`))));
  const file = h('input', { type: 'file', name: 'file', accept: `.csv,.xlsx,text/csv,${XLSX}`, 'aria-describedby': 'import-hint' });
  const hint = h('p.hint#import-hint');
  const result = h('div', { 'aria-live': 'polite' });
  const go = h('button', { type: 'submit', disabled: true }, t('import.go'));
  let checked = null;   // the dry run's answer for the chosen file and kind

  const showHint = () => {
    const [req, opt] = KINDS[kind.value];
    hint.textContent = t('import.hint', { cols: req.concat(opt).join(', '), required: req.join(', ') });
  };
  const show = (d, done) => {
    clear(result);
    result.append(message(d.errors_total || !d.rows ? 'error' : 'ok',
      done ? t('import.done', { n: d.imported }) : `${t('import.summary', { rows: d.rows, errors: d.errors_total })} ${
        d.errors_total ? t('import.fixfirst') : d.rows ? t('import.ready', { rows: d.rows }) : t('import.empty')}`));
    if (d.errors.length) result.append(...problemsTable(d));
    if (!done) { const p = previewTable(d); if (p) result.append(...p); }
  };
  // Only the newest check may show its answer: choosing the kind and then a
  // file starts two, and the first to be sent can be the last to return.
  let checking = 0;
  const check = async () => {
    const mine = ++checking;
    checked = null; go.disabled = true; clear(result);
    const f = file.files[0];
    if (!f) return;
    if (f.size > MAX_BYTES) { result.append(message('error', t('import.toolarge'))); return; }
    result.append(h('p.muted', { role: 'status' }, t('import.checking')));
    try {
      const d = await post(`/v1/dash/import/${kind.value}?dry_run=1`, asBody(f));
      if (mine !== checking) return;   /* a newer file or kind is being checked */
      checked = d;
      show(d, false);
      go.disabled = !!d.errors_total || !d.rows;
      announce(t('import.summary', { rows: d.rows, errors: d.errors_total }));
    } catch (e) {
      if (mine !== checking) return;
      clear(result); result.append(message('error', errorText(e)));
    }
  };
  kind.addEventListener('change', () => { showHint(); check(); });
  file.addEventListener('change', check);
  showHint();

  main.append(h('p', h('a', { href: '#/people' }, `← ${t('people.title')}`)), h('h1', t('import.title')),
    h('form.card', { 'aria-labelledby': 'imp-h', on: { submit: async (ev) => {
      ev.preventDefault();
      const f = file.files[0];
      if (!f || !checked || checked.errors_total) return;
      go.disabled = true;
      try {
        const d = await post(`/v1/dash/import/${kind.value}`, asBody(f));
        data.forget();
        show(d, true);
        announce(t('import.done', { n: d.imported }));
      } catch (e) {
        clear(result);
        result.append(message('error', `${t('import.failed')} ${errorText(e)}`));
        if (e instanceof ApiError && e.body && e.body.errors) result.append(...problemsTable(e.body));
      }
    } } }, h('h2#imp-h', t('import.open')),
    field(t('import.kind'), kind), hint, field(t('import.file'), file), go, result));
}
