// data.js — small caches of the organisation's setup (locations, kiosks,
// roles) and people list for selectors; refreshed when a page changes them.
import { get } from './api.js';
import { lang } from './i18n.js';

let setupP = null;
let peopleP = null;

export function setup(fresh) {
  if (fresh || !setupP) setupP = get('/v1/dash/setup').catch((e) => { setupP = null; throw e; });
  return setupP;
}
export function people(fresh) {
  if (fresh || !peopleP) peopleP = get('/v1/dash/people').then((d) => d.people)
    .catch((e) => { peopleP = null; throw e; });
  return peopleP;
}
export function forget() { setupP = null; peopleP = null; }

export function roleLabel(s, role) {
  const r = s && s.roles.find((x) => x.role === role);
  if (!r) return role;
  return lang() === 'en' ? (r.label_en || r.label_nl || role) : (r.label_nl || role);
}
