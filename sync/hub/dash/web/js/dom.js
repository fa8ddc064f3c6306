// dom.js — building the page safely: every text goes in as a text node
// (never innerHTML), so names and titles from the hub cannot inject markup.
import { t, lang } from './i18n.js';

// h('tag.class#id', {attr: value, on: {click: fn}}, ...children)
export function h(sel, attrs, ...kids) {
  const m = /^([a-z0-9]+)((?:[.#][\w-]+)*)$/i.exec(sel);
  const el = document.createElement(m ? m[1] : 'div');
  if (m && m[2]) {
    for (const part of m[2].match(/[.#][\w-]+/g)) {
      if (part[0] === '.') el.classList.add(part.slice(1)); else el.id = part.slice(1);
    }
  }
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    kids.unshift(attrs); attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'on') { for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn); }
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, kids);
  return el;
}

function append(el, kids) {
  for (const k of kids) {
    if (k === null || k === undefined || k === false) continue;
    if (Array.isArray(k)) append(el, k);
    else el.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
}

export function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }

// A labelled form field; returns [wrapper, control].
let fieldSeq = 0;
export function field(label, control, hint) {
  const id = control.id || `f${++fieldSeq}`;
  control.id = id;
  const kids = [h('label', { for: id }, label), control];
  if (hint) {
    const hid = `${id}-hint`;
    control.setAttribute('aria-describedby', hid);
    kids.push(h('small', { id: hid }, hint));
  }
  return h('div.field', kids);
}

// A title field that shows a long title whole: a textarea that wraps (two
// lines, taller by dragging), one line of text (Enter submits the form, a
// pasted line break becomes a space).
export function titleInput(value, maxlength) {
  const el = h('textarea.title', { rows: 2, maxlength, value: value || '' });
  el.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey) { ev.preventDefault(); if (el.form) el.form.requestSubmit(); }
  });
  el.addEventListener('input', () => { if (/\n/.test(el.value)) el.value = el.value.replace(/\s*\n\s*/g, ' '); });
  return el;
}

// A person's name to show; a name with no visible character (pasted,
// imported) shows as "(naam zonder zichtbare tekens)".
export function shownName(name) {
  return /[\p{L}\p{N}\p{P}\p{S}]/u.test(name || '') ? name : t('people.invisiblename');
}

export function message(kind, text) {
  return h(`div.msg.${kind}`, { role: kind === 'error' ? 'alert' : 'status' }, text);
}

// Say something to screen-reader users without moving focus.
export function announce(text) {
  const live = document.getElementById('live');
  live.textContent = '';
  setTimeout(() => { live.textContent = text; }, 30);
}

// Times come from the hub as ISO UTC; shown in the location's time zone.
export function fmtTime(iso, tz) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(lang() === 'en' ? 'en-GB' : 'nl-NL',
    { hour: '2-digit', minute: '2-digit', timeZone: tz || 'Europe/Amsterdam' }).format(new Date(iso));
}
export function fmtDate(iso, tz, long) {
  if (!iso) return '';
  const o = long ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }
    : { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' };
  return new Intl.DateTimeFormat(lang() === 'en' ? 'en-GB' : 'nl-NL',
    { ...o, timeZone: tz || 'Europe/Amsterdam' }).format(new Date(iso));
}
export function fmtDateTime(iso, tz) {
  if (!iso) return '';
  return `${fmtDate(iso, tz)} ${fmtTime(iso, tz)}`;
}
// A month of a report ("2026-11") in words: "nov 2026" (nl), "Nov 2026"
// (en); part 'month' gives only "nov", 'year' only "2026".
export function fmtMonth(ym, part) {
  const m = /^(\d{4})-(\d{2})$/.exec(String(ym || ''));
  if (!m) return String(ym || '');
  const o = part === 'month' ? { month: 'short' } : part === 'year' ? { year: 'numeric' } : { month: 'short', year: 'numeric' };
  return new Intl.DateTimeFormat(lang() === 'en' ? 'en-GB' : 'nl-NL', { ...o, timeZone: 'UTC' })
    .format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 15)));
}
// A calendar day or an instant as "3 nov 2026" (no weekday, no time); a
// bare YYYY-MM-DD is that day wherever the browser is.
export function fmtDay(v, tz) {
  if (!v) return '';
  const bare = /^\d{4}-\d{2}-\d{2}$/.test(v);
  return new Intl.DateTimeFormat(lang() === 'en' ? 'en-GB' : 'nl-NL', { day: 'numeric', month: 'short', year: 'numeric',
    timeZone: bare ? 'UTC' : tz || 'Europe/Amsterdam' }).format(new Date(bare ? `${v}T12:00:00Z` : v));
}
// Local calendar date (YYYY-MM-DD) of an instant in a zone.
export function localDate(d, tz) {
  const p = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit',
    timeZone: tz || 'Europe/Amsterdam' }).format(d);
  return p;
}
export function fmtHours(n) {
  return new Intl.NumberFormat(lang() === 'en' ? 'en-GB' : 'nl-NL',
    { maximumFractionDigits: 2, minimumFractionDigits: 2 }).format(n);   // as the CSV: 2,25
}

// A table from column specs [{label, num, get(row)}] and rows. On a phone
// each row is a block of "label: value" lines (app.css .stack), so no
// column is out of sight; stack: false keeps the table a grid.
export function table(caption, cols, rows, empty, { stack = true } = {}) {
  if (!rows.length) return h('p.muted', empty || t('common.none'));
  return h(stack ? 'div.table-wrap.stack' : 'div.table-wrap', { tabindex: 0, role: 'region', 'aria-label': caption || cols.map((c) => c.label).join(', ') }, h('table',
    caption ? h('caption', caption) : null,
    h('thead', h('tr', cols.map((c) => h(c.num ? 'th.num' : 'th', { scope: 'col' }, c.label)))),
    h('tbody', rows.map((r) => h('tr', cols.map((c, i) => {
      const v = c.get(r);
      if (i === 0 && c.rowHeader) return h('th', { scope: 'row' }, v);
      return h(c.num ? 'td.num' : 'td', { 'data-label': c.label }, v);
    }))))));
}

export function badge(kind, text) { return h(`span.badge.${kind}`, text); }
