// lib.mjs — shared helpers for the dashboard's browser tests: Debian's
// Chromium through playwright-core (never a downloaded browser), TAP-ish
// "ok - name" / "not ok - name: why" lines, axe-core checks, screenshots at
// the two sizes the issue names, and a small API client (cookie + CSRF).
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';

export const HUB = process.env.HUB_URL;
export const OUT = process.env.OUT || '/tmp/dash-browser';
export const SIZES = [{ name: '1366x768', width: 1366, height: 768 }, { name: '768x1024', width: 768, height: 1024 }];
mkdirSync(join(OUT, 'screens'), { recursive: true });

let fails = 0;
export function ok(name) { console.log(`ok - ${name}`); }
export function notOk(name, why) { fails++; console.log(`not ok - ${name}: ${String(why).split('\n')[0]}`); }
export async function check(name, fn) {
  try { const r = await fn(); if (r === false) notOk(name, 'assertion false'); else ok(name); }
  catch (e) { notOk(name, e && e.stack ? e.stack.split('\n').slice(0, 2).join(' | ') : e); }
}
export function assert(cond, why) { if (!cond) throw new Error(why || 'assertion failed'); }
export function failures() { return fails; }

export async function launch() {
  // playwright-core gives every launch a fresh --user-data-dir of its own.
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args,
    headless: true, chromiumSandbox: false });
  return browser;
}

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// axe-core on the current page (run through the debugger protocol, so the
// page's CSP stays on). Returns the serious/critical violations.
export async function axe(page) {
  const has = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!has) await page.evaluate(axeSource);
  const res = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return res.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function screens(page, name) {
  const keep = page.viewportSize();
  for (const s of SIZES) {
    await page.setViewportSize({ width: s.width, height: s.height });
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(OUT, 'screens', `${name}-${s.name}.png`), fullPage: false });
  }
  await page.setViewportSize(keep);
}

// Node-side API client with a cookie jar of one cookie.
export class Api {
  constructor(base) { this.base = base; this.cookie = ''; this.csrf = ''; }
  async login(email, password, headers = {}) {
    const r = await fetch(`${this.base}/v1/session`, { method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify({ email, password }) });
    const setCookie = r.headers.get('set-cookie') || '';
    const body = await r.json().catch(() => null);
    if (r.ok) { this.cookie = setCookie.split(';')[0]; this.csrf = body.csrf; }
    return { status: r.status, setCookie, body, retryAfter: r.headers.get('retry-after') };
  }
  async req(method, path, body, { csrf = this.csrf, headers = {} } = {}) {
    const h = { Cookie: this.cookie, ...headers };
    if (body !== undefined) h['Content-Type'] = 'application/json';
    if (csrf) h['X-CSRF-Token'] = csrf;
    const r = await fetch(`${this.base}${path}`, { method, headers: h,
      body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* CSV or empty */ }
    return { status: r.status, json, text, headers: r.headers };
  }
}

// Check-ins as a kiosk would send them (POST /v1/events, device token);
// uuids unique per run of a script (several scripts send to one hub).
let seq = 0;
const RUN = (0x8000 + Math.floor(Math.random() * 0x4000)).toString(16);
export async function checkIn(token, events) {
  const boot = '5b0e5c3e-2f7a-4d8e-9b11-0f5c3a1d2e4f';
  const now = Date.now();
  const evs = events.map((e, i) => {
    seq++;
    return { uuid: `0193c0de-7c3d-7e4f-${RUN}-${seq.toString(16).padStart(12, '0')}`, seq, kind: e.kind || 'check_in',
      person_id: e.person_id || null, session_id: e.session_id || null, role: e.role || null,
      wall_ms: e.wall_ms || now + i, boot_id: boot, boottime_ns: 1e9 + seq * 1e6, clock_synced: true, payload: e.payload || {} };
  });
  const r = await fetch(`${HUB}/v1/events`, { method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ device_seq_from: evs[0].seq, events: evs }) });
  return { status: r.status, body: await r.json().catch(() => null) };
}

export { join, dirname };
