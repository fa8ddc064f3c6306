// bench_seed.mjs — data for the dashboard bench (tests/bench/dash_bench.sh):
// on a demo hub, 5 programmes of 40 enrolled people, 50 sessions today at
// the demo location and 2000 check-ins (40 per session) sent as a kiosk
// would (POST /v1/events, batches of 500); then COOKIES_FILE gets one
// session cookie per line for N_COORD coordinators logging in.
// Env: HUB_URL, DEVICE_TOKEN, COOKIES_FILE, N_COORD (default 20).
import { writeFileSync } from 'node:fs';
import { HUB, Api, checkIn } from './lib.mjs';

const api = new Api(HUB);
const must = (r, what) => { if (r.status >= 300) throw new Error(`${what}: ${r.status} ${r.text}`); return r.json; };
await api.login('demo@presentie.test', 'presentie-demo');
const loc = must(await api.req('GET', '/v1/dash/setup'), 'setup').locations[0];
// 5 programmes of 40 enrolled people, 10 sessions each today: 50 sessions,
// and every enrolled person checks in: 40 per session, 2000 in all.
const progs = [];
const people = [];
for (let g = 0; g < 5; g++) {
  const prog = must(await api.req('POST', '/v1/dash/programmes', { title: `Bench ${g}` }), 'programme');
  progs.push(prog.id);
  for (let i = 0; i < 40; i++) {
    const p = must(await api.req('POST', '/v1/dash/people', { display_name: `Bench ${g}-${i} X.`, lang: 'nl',
      consent_date: '2026-01-01', consent_version: 'v1' }), 'person');
    people.push(p.id);
    must(await api.req('POST', `/v1/dash/programmes/${prog.id}/enrolments`, { person_id: p.id }), 'enrol');
  }
}
const date = new Intl.DateTimeFormat('en-CA', { timeZone: loc.timezone }).format(new Date());
const sessions = [];
for (let i = 0; i < 50; i++) {
  const m = 6 * 60 + i * 20;
  const hm = (x) => `${String(Math.floor(x / 60)).padStart(2, '0')}:${String(x % 60).padStart(2, '0')}`;
  const g = i % 5;
  const r = must(await api.req('POST', '/v1/dash/sessions', { programme_id: progs[g], location_id: loc.id,
    title: `Bench ${i}`, date, start: hm(m), end: hm(m + 60), slots: { catering: 2 } }), 'session');
  sessions.push([r.sessions[0].id, g]);
}
const evs = [];
for (const [sid, g] of sessions) for (let k = 0; k < 40; k++) evs.push({ person_id: people[g * 40 + k], session_id: sid });
for (let i = 0; i < evs.length; i += 500) {
  const r = await checkIn(process.env.DEVICE_TOKEN, evs.slice(i, i + 500));
  if (r.status !== 200) throw new Error(`events: ${r.status} ${JSON.stringify(r.body)}`);
}
const cookies = [];
for (let i = 0; i < Number(process.env.N_COORD || 20); i++) {
  const a = new Api(HUB);
  const r = await a.login('demo@presentie.test', 'presentie-demo');
  if (r.status !== 200) throw new Error(`login ${r.status}`);
  cookies.push(a.cookie);
}
writeFileSync(process.env.COOKIES_FILE, `${cookies.join('\n')}\n`);
const t = must(await api.req('GET', '/v1/dash/today'), 'today');
const n = t.locations.reduce((a, l) => a + l.sessions.length, 0);
const present = t.locations.reduce((a, l) => a + l.sessions.reduce((b, s) => b + s.counts.present, 0), 0);
console.log(JSON.stringify({ sessions_today: n, present }));
