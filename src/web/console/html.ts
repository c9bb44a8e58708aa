/**
 * The console's only way to build HTML: the `html` tagged template escapes every interpolated value
 * (text and attribute contexts alike: & < > " ' `), except values that are already SafeHtml (made
 * by `html` itself, or by `raw` for constant markup written in this codebase). Arrays are joined,
 * null, undefined and false render nothing. A resident's `<script>` is therefore always text.
 *
 * Rules the templates keep: attribute values are always quoted; no interpolation inside <script>
 * or style attributes (data for scripts goes through `jsonScript`); URLs built from data go
 * through `url`, which refuses anything but same-site paths.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for HTML text and quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => escapes[c] ?? c);
}

export type Html = SafeHtml;
type Value = SafeHtml | string | number | bigint | boolean | null | undefined | readonly Value[];

function render(v: Value): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Markup written in this codebase (never data): trusted as is. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/**
 * Data for the page's scripts: `<script type="application/json" id="…">`, JSON with `<`, `>`, `&`
 * and the line separators escaped, so no value can close the script element.
 */
export function jsonScript(id: string, data: unknown): SafeHtml {
  const json = JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return new SafeHtml(`<script type="application/json" id="${escapeHtml(id)}">${json}</script>`);
}

/** A same-site path for an href or a redirect: must start with one "/" (no "//", no scheme); else the fallback. */
export function safePath(path: unknown, fallback = '/console/'): string {
  if (typeof path !== 'string' || path.length > 2000) return fallback;
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\') || /[\u0000-\u001f]/.test(path)) return fallback;
  return path;
}
