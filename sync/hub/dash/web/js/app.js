// app.js — start-up, login and the hash router (#/today, #/plan, ...).
// Each page module exports render(main, params) and may return a stop()
// function (the Today page's timer); the router calls it when leaving.
import { api, get, del, setCsrf, setUnauthorizedHandler, ApiError } from './api.js';
import { h, clear, field, message } from './dom.js';
import { t, lang, setLang, applyStatic } from './i18n.js';
import * as today from './today.js';
import * as plan from './plan.js';
import * as people from './people.js';
import * as followup from './followup.js';
import * as reports from './reports.js';
import * as audit from './audit.js';

const pages = { today, plan, people, followup, reports, audit };
const navOrder = ['today', 'plan', 'people', 'followup', 'reports', 'audit'];
export const me = { coordinator: null, organisation: null };
let stop = null;

function main() { return document.getElementById('main'); }

function buildNav() {
  const nav = document.getElementById('nav');
  nav.setAttribute('aria-label', t('nav.label'));
  const items = navOrder.filter((p) => p !== 'audit' || (me.coordinator && me.coordinator.admin));
  clear(nav).append(h('ul', items.map((p) => h('li', h('a', { href: `#/${p}`, 'data-page': p }, t(`nav.${p}`))))));
}

function markNav(page) {
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.page === page) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
}

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { page: parts[0] || 'today', rest: parts.slice(1), query: new URLSearchParams(query || '') };
}

// Each route renders into a view of its own inside <main>: a newer route
// clears <main>, so a render still waiting for its data (the previous page)
// appends into a view no longer on the page instead of above the new one.
let routeGen = 0;
async function route() {
  if (stop) { stop(); stop = null; }
  if (!me.coordinator) { showLogin(); return; }
  const gen = ++routeGen;
  const r = parseHash();
  const mod = pages[r.page];
  clear(main());
  const m = h('div.view');
  main().append(m);
  if (!mod || (r.page === 'audit' && !me.coordinator.admin)) {
    document.title = `${t('notfound.title')} — Presentie`;
    m.append(h('h1', t('notfound.title')), h('p', h('a', { href: '#/today' }, t('nav.today'))));
    markNav('');
    return;
  }
  markNav(r.page);
  document.title = `${t(`nav.${r.page}`)} — Presentie`;
  try {
    const st = (await mod.render(m, r)) || null;
    if (gen !== routeGen) { if (st) st(); return; }   /* a newer page is shown */
    stop = st;
  } catch (e) {
    if (gen !== routeGen) return;
    if (e instanceof ApiError && e.status === 401) return;
    clear(m).append(h('h1', t(`nav.${r.page}`)), message('error', errorText(e)));
  }
}

export function errorText(e) {
  if (e instanceof ApiError) {
    if (e.status === 0) return t('err.network');
    if (e.status === 404) return t('err.notfound');
    if (e.status === 403) return t('err.forbidden');
    if (e.status === 429) return t('err.ratelimited', { min: Math.max(1, Math.ceil((e.retryAfter || 60) / 60)) });
    if (e.status >= 500) return t('err.server');
    return e.message;
  }
  return String(e && e.message ? e.message : e);
}

// Navigate to hash (or render again if already there).
export function go(hash) {
  if (location.hash === hash) route(); else location.hash = hash;
}
export function reload() { return route().then(focusHeading); }

// Focus the page heading after navigation so screen readers hear where they are.
export function focusHeading() {
  const h1 = main().querySelector('h1');
  if (h1) { h1.setAttribute('tabindex', '-1'); h1.focus({ preventScroll: true }); }
}

function showLogin(errText) {
  document.getElementById('top').hidden = true;
  document.title = `${t('login.title')} — Presentie`;
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const pw = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const out = h('div', errText ? message('error', errText) : null);
  const btn = h('button', { type: 'submit' }, t('login.submit'));
  const form = h('form', { novalidate: true, on: { submit: async (ev) => {
    ev.preventDefault();
    clear(out);
    if (!email.value || !pw.value) { out.append(message('error', t('login.missing'))); return; }
    btn.disabled = true;
    try {
      // quiet401: a wrong password is said here (the address stays); it is
      // not an expired session
      const s = await logIn(email.value.trim(), pw.value);
      started(s);
      if (!location.hash || location.hash === '#/login') location.hash = '#/today'; else route();
    } catch (e) {
      let text = errorText(e);
      if (e instanceof ApiError && e.status === 401) text = t('login.wrong');
      if (e instanceof ApiError && e.status === 503 && e.code === 'busy') text = t('login.busy');
      out.append(message('error', text));
      pw.value = '';
      pw.focus();
    } finally { btn.disabled = false; }
  } } },
  field(t('login.email'), email), field(t('login.password'), pw), btn);
  const m = clear(main());
  m.append(h('div.card.login',
    h('h1', h('span.logo', { 'aria-hidden': 'true' }, 'P'), t('login.title')),
    h('p.muted', t('login.intro')), out, form));
  email.focus();
}

// The hub checks passwords on a few workers; when they are all busy (a
// Monday-morning burst) it answers 503 "busy" with Retry-After: try again
// after that a few times before telling the user.
const LOGIN_BUSY_TRIES = 4;
async function logIn(address, password) {
  for (let i = 1; ; i++) {
    try {
      return await api('POST', '/v1/session', { email: address, password }, { quiet401: true });
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 503 && e.code === 'busy') || i >= LOGIN_BUSY_TRIES) throw e;
      await new Promise((ok) => setTimeout(ok, 1000 * Math.min(Math.max(e.retryAfter, 1), 5)));
    }
  }
}

function started(s) {
  setCsrf(s.csrf);
  me.coordinator = s.coordinator;
  me.organisation = s.organisation;
  document.getElementById('orgname').textContent = s.organisation.name;
  document.getElementById('top').hidden = false;
  buildNav();
}

async function logout() {
  try { await del('/v1/session'); } catch { /* the cookie is cleared either way */ }
  me.coordinator = null;
  setCsrf('');
  location.hash = '#/login';
  showLogin();
}

async function boot() {
  const sel = document.getElementById('lang');
  sel.value = lang();
  sel.addEventListener('change', () => { setLang(sel.value); applyStatic(); if (me.coordinator) buildNav(); route(); });
  applyStatic();
  // The skip link must not change the hash (that is the router's).
  document.getElementById('skip').addEventListener('click', (ev) => { ev.preventDefault(); main().focus(); });
  document.getElementById('logout').addEventListener('click', logout);
  setUnauthorizedHandler(() => { me.coordinator = null; showLogin(t('login.expired')); });
  window.addEventListener('hashchange', () => { route().then(focusHeading); });
  try {
    started(await get('/v1/session', { quiet401: true }));
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) { showLogin(errorText(e)); return; }
  }
  route();
}

boot();
