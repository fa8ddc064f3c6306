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

// Horizontal bars: rows [{label, value, max?, text?}], one per line.
export function hbars(title, rows, { max } = {}) {
  const lh = 28, left = 180, right = 80, w = 760;
  const hgt = rows.length * lh + 10;
  const top = Math.max(1, max || Math.max(1, ...rows.map((r) => r.value || 0)));
  const svg = frame(title, w, hgt);
  rows.forEach((r, i) => {
    const y = 5 + i * lh;
    const bw = ((r.value || 0) / top) * (w - left - right);
    svg.append(el('text', { x: left - 8, y: y + 18, 'text-anchor': 'end' }, clip(r.label, 22)));
    svg.append(el('rect', { x: left, y: y + 3, width: Math.max(0, bw), height: lh - 8, class: 'bar' }));
    svg.append(el('text', { x: left + bw + 6, y: y + 18 }, r.text !== undefined ? r.text : String(r.value)));
  });
  svg.append(el('line', { x1: left, y1: 2, x2: left, y2: hgt - 2, class: 'axis' }));
  return svg;
}

// Columns per category with up to two series: cats [{label, a, b}].
export function columns(title, cats, { alt } = {}) {
  const w = 760, hgt = 240, left = 40, bottom = 40, top = 12;
  const vmax = Math.max(1, ...cats.map((c) => Math.max(c.a || 0, alt ? c.b || 0 : 0)));
  const svg = frame(title, w, hgt);
  const ih = hgt - bottom - top;
  const cw = (w - left - 10) / Math.max(1, cats.length);
  const bw = Math.min(48, (cw - 8) / (alt ? 2 : 1));
  svg.append(el('line', { x1: left, y1: top + ih, x2: w - 5, y2: top + ih, class: 'axis' }));
  svg.append(el('text', { x: left - 6, y: top + 10, 'text-anchor': 'end' }, String(vmax)));
  svg.append(el('text', { x: left - 6, y: top + ih, 'text-anchor': 'end' }, '0'));
  cats.forEach((c, i) => {
    const x0 = left + i * cw + (cw - bw * (alt ? 2 : 1)) / 2;
    const bar = (v, x, cls) => {
      const bh = ((v || 0) / vmax) * ih;
      svg.append(el('rect', { x, y: top + ih - bh, width: bw, height: bh, class: cls }));
      svg.append(el('text', { x: x + bw / 2, y: top + ih - bh - 3, 'text-anchor': 'middle' }, v === null ? '<5' : String(v)));
    };
    bar(c.a, x0, 'bar');
    if (alt) bar(c.b, x0 + bw, 'bar alt');
    svg.append(el('text', { x: left + i * cw + cw / 2, y: hgt - bottom + 16, 'text-anchor': 'middle' }, clip(c.label, 14)));
  });
  return svg;
}

function clip(s, n) { s = String(s); return s.length > n ? `${s.slice(0, n - 1)}…` : s; }
