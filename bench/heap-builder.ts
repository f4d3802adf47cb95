// Child process entry: builds a realistic heap of `units` units and writes a heap snapshot.
// Usage: node --max-old-space-size=N dist/bench/heap-builder.js <units> <output file>
// Prints one JSON line on stdout: {nodesHint, buildMs, writeMs, bytes}.
//
// One "unit" is a small application-like object cluster: a session with a user, orders with
// line items, a closure capturing local state, strings (distinct and repeated), a Map/Set entry,
// a WeakMap entry and nested plain objects. Snapshot size grows linearly with `units`.
import * as fs from 'node:fs';
import * as v8 from 'node:v8';

const REPEATED = ['pending', 'shipped', 'delivered', 'cancelled', 'refunded', 'on-hold'];
const COUNTRIES = ['FR', 'DE', 'US', 'JP', 'BR', 'IN', 'NG', 'CA', 'AU', 'ES'];

class Address {
  constructor(
    public street: string,
    public city: string,
    public country: string,
    public zip: number,
  ) {}
}

class User {
  tags: Set<string>;
  address: Address;
  constructor(
    public id: number,
    public name: string,
    public email: string,
    i: number,
  ) {
    this.tags = new Set([REPEATED[i % REPEATED.length]!, `group-${i % 97}`]);
    this.address = new Address(`${i} Long Street`, `City${i % 1000}`, COUNTRIES[i % COUNTRIES.length]!, 10000 + (i % 90000));
  }
}

class LineItem {
  constructor(
    public sku: string,
    public quantity: number,
    public price: number,
  ) {}
}

class Order {
  items: LineItem[] = [];
  history: { at: number; status: string }[] = [];
  constructor(
    public id: string,
    public user: User,
    public status: string,
  ) {}
}

class Session {
  orders: Order[] = [];
  handlers: (() => unknown)[] = [];
  meta: Record<string, unknown>;
  constructor(
    public token: string,
    public user: User,
    i: number,
  ) {
    this.meta = { created: i, settings: { theme: i % 2 ? 'dark' : 'light', layout: { columns: i % 4, dense: i % 3 === 0 } } };
  }
}

class CacheEntry {
  constructor(
    public key: string,
    public value: unknown,
    public expires: number,
  ) {}
}

function makeHandler(session: Session, counter: { n: number }, label: string): () => unknown {
  const startedAt = counter.n;
  return () => {
    counter.n++;
    return `${label}:${session.token}:${startedAt}`;
  };
}

export function buildHeap(units: number): unknown {
  const sessions = new Map<string, Session>();
  const cache: CacheEntry[] = [];
  const weak = new WeakMap<object, { seen: number; note: string }>();
  const numbers: number[][] = [];
  const bigStrings: string[] = [];
  const counter = { n: 0 };
  for (let i = 0; i < units; i++) {
    const user = new User(i, `user-${i}-${(i * 2654435761) % 1000003}`, `user${i}@example${i % 13}.com`, i);
    const token = `tok-${i.toString(36)}-${((i * 40503) % 65536).toString(16)}`;
    const s = new Session(token, user, i);
    const nOrders = 1 + (i % 3);
    for (let o = 0; o < nOrders; o++) {
      const order = new Order(`ord-${i}-${o}`, user, REPEATED[(i + o) % REPEATED.length]!);
      const nItems = 1 + ((i + o) % 4);
      for (let k = 0; k < nItems; k++) order.items.push(new LineItem(`SKU-${(i * 7 + k) % 5000}`, 1 + k, (i % 100) + k * 0.5));
      order.history.push({ at: i, status: 'created' }, { at: i + 1, status: order.status });
      s.orders.push(order);
    }
    s.handlers.push(makeHandler(s, counter, 'click'));
    if (i % 2 === 0) s.handlers.push(makeHandler(s, counter, 'keydown'));
    sessions.set(token, s);
    weak.set(user, { seen: i, note: `note-${i % 500}` });
    if (i % 4 === 0) cache.push(new CacheEntry(`cache:${i}`, { hits: i % 17, payload: [i, i + 1, i + 2] }, i + 3600));
    if (i % 8 === 0) numbers.push(Array.from({ length: 16 }, (_, k) => i * 16 + k + 0.25));
    if (i % 64 === 0) bigStrings.push(`${'lorem ipsum dolor sit amet '.repeat(8)}#${i}`);
  }
  return { sessions, cache, weak, numbers, bigStrings, counter, config: { env: 'bench', nested: { a: { b: { c: [1, 2, 3] } } } } };
}

async function main(): Promise<void> {
  const units = Number(process.argv[2]);
  const out = process.argv[3];
  if (!Number.isFinite(units) || units <= 0 || !out) {
    console.error('usage: heap-builder.js <units> <output file>');
    process.exit(2);
  }
  const t0 = performance.now();
  (globalThis as Record<string, unknown>).__benchHeap = buildHeap(units);
  const t1 = performance.now();
  const tmp = `${out}.tmp-${process.pid}`;
  v8.writeHeapSnapshot(tmp);
  const t2 = performance.now();
  fs.renameSync(tmp, out);
  const bytes = fs.statSync(out).size;
  process.stdout.write(`${JSON.stringify({ units, buildMs: t1 - t0, writeMs: t2 - t1, bytes, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
}

await main();
