// bench_api.mjs — GET /v1/dash/today as N coordinators with their pages
// open: each coordinator (own session cookie from COOKIES_FILE) asks every
// PERIOD_MS (the page refreshes every 10 s; the bench asks 10x as often),
// starting at a random phase, for SECONDS; prints latency percentiles.
// Open loop: a slow answer does not slow the next request down, so queueing
// shows in the figures. ETAG=1 sends If-None-Match with the coordinator's
// last ETag, as the page does (a 304 counts as an answer).
// Env: HUB_URL, COOKIES_FILE, SECONDS, PERIOD_MS, ETAG.
import { readFileSync } from 'node:fs';
import http from 'node:http';

const url = new URL('/v1/dash/today', process.env.HUB_URL);
const cookies = readFileSync(process.env.COOKIES_FILE, 'utf8').split('\n').filter(Boolean);
const seconds = Number(process.env.SECONDS || 20), period = Number(process.env.PERIOD_MS || 1000);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const lat = [];
let errors = 0, inflight = 0;

const useEtag = process.env.ETAG === '1';
const etags = new Map();
let notModified = 0;

function once(cookie) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const headers = { Cookie: cookie };
    if (useEtag && etags.get(cookie)) headers['If-None-Match'] = etags.get(cookie);
    inflight++;
    const req = http.get(url, { agent, headers }, (res) => {
      res.on('data', () => {});
      res.on('end', () => {
        inflight--;
        if (res.statusCode === 304) notModified++;
        if (res.headers.etag) etags.set(cookie, res.headers.etag);
        if (res.statusCode !== 200 && res.statusCode !== 304) errors++;
        else lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
        resolve();
      });
    });
    req.on('error', () => { inflight--; errors++; resolve(); });
    req.setTimeout(10000, () => req.destroy());
  });
}

const end = Date.now() + seconds * 1000;
const pending = [];
for (const c of cookies) {
  const start = Date.now() + Math.random() * period;
  (function tick(at) {
    if (at > end) return;
    setTimeout(() => { pending.push(once(c)); tick(at + period); }, Math.max(0, at - Date.now()));
  })(start);
}
await new Promise((r) => setTimeout(r, seconds * 1000 + 200));
await Promise.all(pending);
lat.sort((a, b) => a - b);
const pct = (p) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))] : NaN);
console.log(JSON.stringify({ coordinators: cookies.length, requests: lat.length, errors, not_modified: notModified,
  p50_ms: +pct(50).toFixed(1), p95_ms: +pct(95).toFixed(1), p99_ms: +pct(99).toFixed(1), max_ms: +(lat[lat.length - 1] || 0).toFixed(1) }));
agent.destroy();
