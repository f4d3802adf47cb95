/**
 * objgraph's text tables, to the character.
 *
 * - show_most_common_types: `'%-*s %i'` with the width of the widest name;
 * - show_growth: `'%-*s%9d %+9d'`;
 * - get_new_ids: a rule of `'=' * (width + 52)`, the header
 *   `'%-*s%13s%13s%13s%13s'`, a rule, rows `'%-*s%13d%13d%+13d%+13d'`, a rule.
 *
 * Optional size columns follow objgraph's columns, never replace them.
 */

/** Python's `'%-*s' % (width, s)`. */
function left(s: string, width: number): string {
  return s.length >= width ? s : s + ' '.repeat(width - s.length);
}

/** Python's `'%*d'` / `'%+*d'`. */
function right(n: number, width: number, sign = false): string {
  const s = sign && n >= 0 ? `+${n}` : String(n);
  return s.length >= width ? s : ' '.repeat(width - s.length) + s;
}

function widest(names: Iterable<string>): number {
  let w = 0;
  for (const n of names) if (n.length > w) w = n.length;
  return w;
}

/** A row of show_most_common_types: name, count, and optional extra columns (sizes). */
export type CommonTypeRow = readonly [name: string, count: number, ...extra: number[]];

/**
 * show_most_common_types' lines. objgraph raises on an empty list (max() of
 * nothing); here an empty list prints nothing.
 */
export function formatMostCommonTypes(rows: readonly CommonTypeRow[], extraHeaders: readonly string[] = []): string {
  if (rows.length === 0) return '';
  const width = widest(rows.map((r) => r[0]));
  let out = '';
  for (const row of rows) {
    out += `${left(row[0], width)} ${row[1]}`;
    for (let i = 2; i < row.length; i++) {
      out += ` ${extraHeaders[i - 2] ?? ''}${extraHeaders[i - 2] ? '=' : ''}${row[i]}`;
    }
    out += '\n';
  }
  return out;
}

/** A row of show_growth: name, current count, delta. */
export type GrowthRow = readonly [name: string, count: number, delta: number];

/** show_growth's lines; nothing when nothing grew. */
export function formatGrowth(rows: readonly GrowthRow[]): string {
  if (rows.length === 0) return '';
  const width = widest(rows.map((r) => r[0]));
  let out = '';
  for (const [name, count, delta] of rows) out += `${left(name, width)}${right(count, 9)} ${right(delta, 9, true)}\n`;
  return out;
}

/** A row of get_new_ids: name, old count, current count, new ids, count delta. */
export type NewIdsRow = readonly [name: string, old: number, current: number, added: number, delta: number];

/** get_new_ids' table; like objgraph, nothing at all when there are no rows. */
export function formatNewIds(rows: readonly NewIdsRow[]): string {
  if (rows.length === 0) return '';
  // objgraph takes the width of the type names only, not of the 'Type' header.
  const width = widest(rows.map((r) => r[0]));
  const rule = '='.repeat(width + 52);
  let out = `${rule}\n`;
  out += `${left('Type', width)}${right13('Old_ids')}${right13('Current_ids')}${right13('New_ids')}${right13('Count_Deltas')}\n`;
  out += `${rule}\n`;
  for (const [name, old, current, added, delta] of rows) {
    out += `${left(name, width)}${right(old, 13)}${right(current, 13)}${right(added, 13, true)}${right(delta, 13, true)}\n`;
  }
  out += `${rule}\n`;
  return out;
}

function right13(s: string): string {
  return s.length >= 13 ? s : ' '.repeat(13 - s.length) + s;
}
