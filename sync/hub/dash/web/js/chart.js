// chart.js — small bar charts as plain SVG. Why no library: the pages need
// two shapes (horizontal bars per person, columns per month) on a dozen
// rows; generating SVG is ~80 lines, prints sharply, needs no canvas, runs
// under a strict CSP (no inline styles) and stays accessible: each chart is
// role="img" with a text alternative, and the same numbers are in the table
// next to it.
const NS = 'http://www.w3.org/2000/svg';

function el(name, attrs, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function frame(title, w, hgt) {
  const svg = el('svg', { viewBox: `0 0 ${w} ${hgt}`, class: 'chart', role: 'img', 'aria-label': title });
  svg.append(el('title', {}, title));
  return svg;
}

// Chart widths in SVG units: a chart is drawn for the width it gets on the
// page (so its 14px text stays 14px on a phone), between these bounds.
const W_MIN = 300, W_MAX = 760;
const CH = 8;   /* about one character of 14px text, in SVG units */
function width(w) { return Math.round(Math.min(W_MAX, Math.max(W_MIN, w || W_MAX))); }

// Horizontal bars: rows [{label, value, max?, text?}], one per line; width:
// the room on the page (px).
export function hbars(title, rows, { max, width: avail } = {}) {
  const lh = 28, w = width(avail);
  const right = Math.min(80, Math.round(w * 0.22)), left = Math.min(180, Math.round(w * 0.36));
  const hgt = rows.length * lh + 10;
  const top = Math.max(1, max || Math.max(1, ...rows.map((r) => r.value || 0)));
  const svg = frame(title, w, hgt);
  rows.forEach((r, i) => {
    const y = 5 + i * lh;
    const bw = ((r.value || 0) / top) * (w - left - right);
    const text = r.text !== undefined ? r.text : String(r.value);
    svg.append(el('text', { x: left - 8, y: y + 18, 'text-anchor': 'end' }, clip(r.label, Math.floor((left - 12) / CH))));
    svg.append(el('rect', { x: left, y: y + 3, width: Math.max(0, bw), height: lh - 8, class: 'bar' }));
    // the value beside its bar, or inside the bar's end when it would leave the box
    const inside = left + bw + 6 + text.length * CH > w;
    svg.append(el('text', inside ? { x: left + bw - 6, y: y + 18, 'text-anchor': 'end', class: 'on-bar' }
      : { x: left + bw + 6, y: y + 18 }, text));
  });
  svg.append(el('line', { x1: left, y1: 2, x2: left, y2: hgt - 2, class: 'axis' }));
  return svg;
}

// Columns per category with up to two series: cats [{label, a, b, sub?}]
// (label under the column; sub, e.g. the year, on a second line where it
// changes from the last label shown). Labels that would not fit are left out (every k-th is shown);
// values above the columns only where they fit (the table beside the chart
// has every number).
export function columns(title, cats, { alt, width: avail } = {}) {
  const w = width(avail), hgt = 250, left = 40, bottom = 48, top = 22, right = 10;
  const vmax = Math.max(1, ...cats.map((c) => Math.max(c.a || 0, alt ? c.b || 0 : 0)));
  const svg = frame(title, w, hgt);
  const ih = hgt - bottom - top;
  const cw = (w - left - right) / Math.max(1, cats.length);
  const bw = Math.min(48, (cw - 4) / (alt ? 2 : 1));
  const widest = Math.max(1, ...cats.map((c) => String(c.label).length)) * CH + 6;
  const every = Math.max(1, Math.ceil(widest / cw));
  svg.append(el('line', { x1: left, y1: top + ih, x2: w - right, y2: top + ih, class: 'axis' }));
  svg.append(el('text', { x: left - 6, y: top + 5, 'text-anchor': 'end' }, String(vmax)));
  svg.append(el('text', { x: left - 6, y: top + ih, 'text-anchor': 'end' }, '0'));
  let lastSub = '';
  cats.forEach((c, i) => {
    const x0 = left + i * cw + (cw - bw * (alt ? 2 : 1)) / 2;
    const bar = (v, x, cls) => {
      const bh = ((v || 0) / vmax) * ih;
      svg.append(el('rect', { x, y: top + ih - bh, width: bw, height: bh, class: cls }));
      const text = v === null ? '<5' : String(v);
      if (v !== 0 && text.length * CH <= bw + 4) {   /* no row of zeros along the axis */
        svg.append(el('text', { x: x + bw / 2, y: top + ih - bh - 4, 'text-anchor': 'middle' }, text));
      }
    };
    bar(c.a, x0, 'bar');
    if (alt) bar(c.b, x0 + bw, 'bar alt');
    const mid = left + i * cw + cw / 2;
    // keep the first and last labels inside the box
    const half = (String(c.label).length * CH) / 2;
    const x = Math.min(w - right - half, Math.max(half + 2, mid));
    if (i % every === 0) svg.append(el('text', { x, y: hgt - bottom + 18, 'text-anchor': 'middle' }, clip(c.label, 14)));
    if (c.sub && i % every === 0 && c.sub !== lastSub) {
      lastSub = c.sub;
      const sx = Math.min(w - right - (String(c.sub).length * CH) / 2, Math.max((String(c.sub).length * CH) / 2 + 2, mid));
      svg.append(el('text', { x: sx, y: hgt - bottom + 38, 'text-anchor': 'middle', class: 'sub' }, c.sub));
    }
  });
  return svg;
}

function clip(s, n) { s = String(s); return s.length > n ? `${s.slice(0, n - 1)}…` : s; }
