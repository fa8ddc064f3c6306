// i18n_keys.mjs — every string of the dashboard is translated: the Dutch and
// English dictionaries have the same keys, every literal t('key') used in
// sync/hub/dash/web/js exists in both, no value is empty, and every {placeholder}
// of a Dutch string is also in the English one. Prints "ok - ..." lines.
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'sync', 'hub', 'dash', 'web', 'js');
globalThis.localStorage = { getItem: () => null, setItem: () => {} };
const { dictionaries } = await import(join(root, 'i18n.js'));
const { nl, en } = dictionaries;
let fails = 0;
const report = (name, bad) => {
  if (bad.length) { fails++; console.log(`not ok - ${name}: ${bad.slice(0, 8).join(', ')}`); }
  else console.log(`ok - ${name}`);
};
report('i18n: English has every Dutch key', Object.keys(nl).filter((k) => !(k in en)));
report('i18n: Dutch has every English key', Object.keys(en).filter((k) => !(k in nl)));
report('i18n: no empty strings', Object.entries({ ...nl, ...en }).filter(([, v]) => !v).map(([k]) => k));
const ph = (s) => (s.match(/\{\w+\}/g) || []).sort().join();
report('i18n: placeholders agree', Object.keys(nl).filter((k) => k in en && ph(nl[k]) !== ph(en[k])));
const used = new Set();
for (const f of readdirSync(root).filter((x) => x.endsWith('.js'))) {
  const src = readFileSync(join(root, f), 'utf8');
  for (const m of src.matchAll(/\bt\(\s*'([a-z0-9_.]+)'/g)) used.add(m[1]);
}
report(`i18n: all ${used.size} literal keys used by the pages exist`, [...used].filter((k) => !(k in nl) || !(k in en)));
// Keys built at run time: nav.*, kind.*, lang.*, reports.<tab>, reports.<tab>hint, people.erase1..5
const dyn = ['nav.today', 'nav.plan', 'nav.people', 'nav.followup', 'nav.reports', 'nav.audit',
  'kind.group', 'kind.coaching', 'kind.open', 'kind.intake',
  ...['nl', 'en', 'ar', 'tr', 'pl', 'uk', 'ti', 'so', 'fa'].map((l) => `lang.${l}`),
  ...['presentielijst', 'attendance', 'reach', 'guests', 'hours'].map((x) => `reports.${x}`),
  ...['reach', 'guests', 'hours'].map((x) => `reports.${x}hint`),
  ...[1, 2, 3, 4, 5].map((i) => `people.erase${i}`)];
report('i18n: keys built at run time exist', dyn.filter((k) => !(k in nl) || !(k in en)));
process.exit(fails ? 1 : 0);
