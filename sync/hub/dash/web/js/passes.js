// passes.js — phone passes and printed sheets (docs/PASSES.md). On a
// person's page: issue a pass (shown ONCE: the hub keeps only its HMAC) as a
// card image to save on the phone or print, re-issue (after a confirmation:
// the old pass stops working) and revoke. On a session: name badges (PDF)
// and pass cards for its expected people (PDF; a confirmation first, since
// printing issues new passes and revokes the old ones).
import { post, enc, blob } from './api.js';
import { h, clear, message, announce } from './dom.js';
import { t } from './i18n.js';
import { errorText, reload } from './app.js';

// The pass part of a person's access card: p as GET /v1/dash/people/{id}.
export function passSection(p) {
  const out = h('div');
  const shown = h('div.pass-shown');
  const active = p.credentials.filter((c) => c.active && c.kind === 'qr');
  const issue = async () => {
    clear(out); clear(shown);
    try {
      const r = await post(`/v1/dash/people/${enc(p.id)}/pass`, {});
      shown.append(message('warn', t('pass.once')),
        h('img.pass-card', { src: r.png, alt: t('pass.alt', { name: p.display_name }), width: 428, height: 270 }),
        h('div.row.no-print',
          h('a.button', { href: r.png, download: `pass-${p.id}.png` }, t('pass.download')),
          h('button.secondary', { type: 'button', on: { click: () => window.print() } }, t('pass.print'))));
      state.textContent = t('pass.active');
      announce(t('pass.issued'));
    } catch (e) { out.append(message('error', errorText(e))); }
  };
  const ask = () => {
    clear(out);
    if (!active.length) { issue(); return; }
    out.append(message('warn', t('pass.reissuewarn')),
      h('button', { type: 'button', on: { click: issue } }, t('pass.reissueyes')));
  };
  const revoke = async () => {
    clear(out);
    try { const r = await post(`/v1/dash/people/${enc(p.id)}/revoke`, { kind: 'qr' });
      announce(t('people.revoked', { n: r.revoked })); reload(); }
    catch (e) { out.append(message('error', errorText(e))); }
  };
  const state = h('p', active.length ? t('pass.active') : t('pass.none'));
  return h('div.passes', h('h3', t('pass.title')), h('p.hint', t('pass.hint')), state,
    h('div.row',
      h('button.secondary', { type: 'button', on: { click: ask } }, active.length ? t('pass.reissue') : t('pass.issue')),
      active.length ? h('button.secondary', { type: 'button', on: { click: revoke } }, t('pass.revoke')) : null),
    out, shown);
}

// Save a Blob as a file through a temporary link.
function save(b, name) {
  const url = URL.createObjectURL(b);
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// Badges and pass cards of session s (as on Today: id, title, counts).
export function printLinks(s) {
  const out = h('div');
  const cards = async () => {
    clear(out);
    try { save(await blob('POST', '/v1/dash/print/cards.pdf', { session: s.id }), `cards-${s.id}.pdf`);
      announce(t('pass.cardsdone')); }
    catch (e) { out.append(message('error', errorText(e))); }
  };
  const ask = () => {
    clear(out);
    out.append(message('warn', t('pass.cardswarn', { n: s.counts.expected })),
      h('button', { type: 'button', 'data-k': `cardsyes-${s.id}`, on: { click: cards } }, t('pass.cardsyes')));
  };
  return h('div.no-print.print-sheets',
    h('a', { href: `/v1/dash/print/badges.pdf?session=${enc(s.id)}`, download: `badges-${s.id}.pdf`, 'data-k': `badges-${s.id}` },
      t('pass.badges')), ' · ',
    h('button.link', { type: 'button', 'data-k': `cards-${s.id}`, on: { click: ask } }, t('pass.cards')), out);
}
