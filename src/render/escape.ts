/**
 * Making untrusted heap text safe for DOT, SVG and HTML.
 *
 * Every string that comes from a heap (class names, string values, property
 * names) is untrusted: it may hold quotes, backslashes, control characters,
 * lone surrogates, markup, or be megabytes long. The functions here cut such
 * text to a sane length first (so a 1 MB string costs nothing) and then
 * escape it for the one context it goes into.
 */

/** Longest label line kept, in code points (the rest becomes `…`). */
export const MAX_LINE_LENGTH = 100;
/** Longest edge label kept, in code points. */
export const MAX_EDGE_LABEL_LENGTH = 60;
/** Most label lines kept for one node. */
export const MAX_LABEL_LINES = 8;

const ELLIPSIS = '\u2026';

/**
 * Cuts `text` to at most `max` code points (never splitting a surrogate
 * pair), replacing what was cut with `…`, and replaces lone surrogates and
 * the non-characters U+FFFE/U+FFFF (not allowed in XML) with U+FFFD.
 */
export function cutText(text: string, max: number): string {
  if (max < 1) throw new RangeError(`cutText: max must be at least 1, got ${max}`);
  // Look at no more than a bounded prefix: a 1 MB string costs as much as a short one.
  const head = text.length > max * 2 + 2 ? text.slice(0, max * 2 + 2) : text;
  let out = '';
  let count = 0;
  let i = 0;
  while (i < head.length) {
    if (count === max) break;
    const c = head.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < head.length ? head.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += head[i]! + head[i + 1]!;
        i += 2;
      } else {
        out += '\ufffd';
        i += 1;
      }
    } else if ((c >= 0xdc00 && c <= 0xdfff) || c === 0xfffe || c === 0xffff) {
      out += '\ufffd';
      i += 1;
    } else {
      out += head[i]!;
      i += 1;
    }
    count++;
  }
  if (i < text.length) {
    // Something was left over: make room for the ellipsis within `max`.
    if (count === max) out = dropLastCodePoint(out);
    out += ELLIPSIS;
  }
  return out;
}

function dropLastCodePoint(s: string): string {
  if (s.length === 0) return s;
  const last = s.charCodeAt(s.length - 1);
  if (last >= 0xdc00 && last <= 0xdfff && s.length >= 2) {
    const prev = s.charCodeAt(s.length - 2);
    if (prev >= 0xd800 && prev <= 0xdbff) return s.slice(0, -2);
  }
  return s.slice(0, -1);
}

function hex2(c: number): string {
  return c.toString(16).padStart(2, '0');
}

/**
 * Escapes text for the inside of a double-quoted DOT string (without the
 * quotes). Follows objgraph's `_quote` (`\` → `\\`, `"` → `\"`, newline →
 * `\n`, NUL → a visible `\0`) and goes further where Graphviz needs it:
 * - other control characters become a visible `\xHH` (`\t`, `\r` as such):
 *   raw they would make the SVG ill-formed XML;
 * - `&` becomes `&amp;`, because Graphviz decodes HTML entities in every
 *   string (a heap string `&lt;` must show as `&lt;`, not as `<`);
 * - lone surrogates become U+FFFD.
 * Text is not cut here: cut it first with {@link cutText}.
 */
export function escapeDot(text: string): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let rep: string | null = null;
    if (c === 0x5c) rep = '\\\\';
    else if (c === 0x22) rep = '\\"';
    else if (c === 0x26) rep = '&amp;';
    else if (c === 0x0a) rep = '\\n';
    else if (c === 0x00) rep = '\\\\0';
    else if (c === 0x09) rep = '\\\\t';
    else if (c === 0x0d) rep = '\\\\r';
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) rep = '\\\\x' + hex2(c);
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
      rep = '\ufffd';
    } else if ((c >= 0xdc00 && c <= 0xdfff) || c === 0xfffe || c === 0xffff) rep = '\ufffd';
    if (rep !== null) {
      out += text.slice(start, i) + rep;
      start = i + 1;
    }
  }
  return start === 0 ? text : out + text.slice(start);
}

/** A complete double-quoted DOT string. */
export function dotQuote(text: string): string {
  return '"' + escapeDot(text) + '"';
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML/XML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]!);
}

/**
 * JSON that can sit inside `<script type="application/json">` (or any
 * script element): `<`, `>`, `&`, U+2028 and U+2029 are written as `\u`
 * escapes, so no `</script>`, `<!--` or `]]>` can appear in the output.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => {
    return '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');
  });
}

/** `%g` as C's printf formats a number in [0, 1] (six significant digits). */
export function formatG(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`formatG: not a finite number: ${x}`);
  const s = String(Number(x.toPrecision(6)));
  return s === '-0' ? '0' : s;
}

/** Sizes for labels: `48 B`, `1.5 KiB`, `3.2 MiB`, `1.1 GiB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return String(bytes);
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}
