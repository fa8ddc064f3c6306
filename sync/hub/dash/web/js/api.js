// api.js — the one door to the hub's JSON API (sync/PROTOCOL.md "Dashboard
// API"): same-origin fetch with the session cookie, the CSRF token on every
// change, errors as exceptions carrying the HTTP status and error code.
let csrf = '';
let onUnauthorized = () => {};
let lastEtag = '';
// The ETag of the last answer (for the next conditional request).
export function etagOfLast() { return lastEtag; }

export function setCsrf(token) { csrf = token || ''; }
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

export class ApiError extends Error {
  constructor(status, code, message, retryAfter) {
    super(message || code || `HTTP ${status}`);
    this.status = status; this.code = code; this.retryAfter = retryAfter;
  }
}

// etag: send If-None-Match; a 304 then resolves to null ("unchanged").
export async function api(method, path, body, { quiet401, etag } = {}) {
  const headers = { Accept: 'application/json' };
  if (etag) headers['If-None-Match'] = etag;
  const raw = typeof Blob !== 'undefined' && body instanceof Blob;   // a file (an import)
  if (body !== undefined) headers['Content-Type'] = raw ? (body.type || 'application/octet-stream') : 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  let r;
  try {
    r = await fetch(path, { method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined || raw ? body : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, 'network', e.message);
  }
  if (r.status === 204 || r.status === 304) return null;
  lastEtag = r.headers.get('ETag') || '';
  let j = null;
  try { j = await r.json(); } catch { j = null; }
  if (!r.ok) {
    const ra = parseInt(r.headers.get('Retry-After') || '0', 10) || 0;
    if (r.status === 401 && !quiet401) onUnauthorized();
    throw Object.assign(new ApiError(r.status, j && j.error, j && j.message, ra), { body: j });
  }
  return j;
}

// A binary answer (a PDF) as a Blob; errors as api() throws them.
export async function blob(method, path, body) {
  const headers = { Accept: 'application/pdf, application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  let r;
  try {
    r = await fetch(path, { method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, 'network', e.message);
  }
  if (!r.ok) {
    let j = null;
    try { j = await r.json(); } catch { j = null; }
    if (r.status === 401) onUnauthorized();
    throw new ApiError(r.status, j && j.error, j && j.message, 0);
  }
  return r.blob();
}

export const get = (p, o) => api('GET', p, undefined, o);
export const post = (p, b) => api('POST', p, b === undefined ? {} : b);
export const patch = (p, b) => api('PATCH', p, b);
export const put = (p, b) => api('PUT', p, b);
export const del = (p, b) => api('DELETE', p, b);

// Query string from an object, skipping empty values.
export function qs(o) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null && v !== '') u.set(k, v);
  const s = u.toString();
  return s ? `?${s}` : '';
}
export const enc = encodeURIComponent;
