// Readable text for any value, in the style of Node's util.inspect (what learners see in a REPL):
// `[ 2, 3 ]`, `{ a: 1, b: 'x' }`, `Map(1) { 'k' => 1 }`. No tfjs import: tensors are recognised by shape.

export interface InspectOptions {
  depth?: number;
  maxArrayLength?: number;
  maxStringLength?: number;
  /** Width beyond which a collection is broken over several lines. */
  breakLength?: number;
}

interface TensorLike {
  shape: number[];
  dtype: string;
  size: number;
  dataId: object;
  isDisposed?: boolean;
  toString(verbose?: boolean): string;
}

export function isTensorLike(v: unknown): v is TensorLike {
  if (!v || typeof v !== 'object') return false;
  const t = v as Partial<TensorLike>;
  return Array.isArray(t.shape) && typeof t.dtype === 'string' && typeof t.dataId === 'object' && typeof t.size === 'number';
}

export function tensorSummary(t: TensorLike): string {
  return `Tensor ${t.dtype} [${t.shape.join(',')}]${t.isDisposed ? ' (disposed)' : ''}`;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

export function inspect(value: unknown, options: InspectOptions = {}): string {
  const opts: Required<InspectOptions> = {
    depth: options.depth ?? 2,
    maxArrayLength: options.maxArrayLength ?? 100,
    maxStringLength: options.maxStringLength ?? 10_000,
    breakLength: options.breakLength ?? 80,
  };
  return render(value, opts, 0, new Set(), 0);
}

function quote(s: string, max: number): string {
  const cut = s.length > max ? s.slice(0, max) : s;
  const body = cut.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\t/g, '\\t');
  return `'${body}'${s.length > max ? `... ${s.length - max} more characters` : ''}`;
}

function render(v: unknown, o: Required<InspectOptions>, depth: number, seen: Set<object>, indent: number): string {
  switch (typeof v) {
    case 'string':
      return quote(v, o.maxStringLength);
    case 'number':
      return Object.is(v, -0) ? '-0' : String(v);
    case 'bigint':
      return `${v}n`;
    case 'boolean':
    case 'undefined':
      return String(v);
    case 'symbol':
      return v.toString();
    case 'function': {
      const src = Function.prototype.toString.call(v);
      if (src.startsWith('class')) return `[class ${v.name || '(anonymous)'}]`;
      return v.name ? `[Function: ${v.name}]` : '[Function (anonymous)]';
    }
  }
  if (v === null) return 'null';
  const obj = v as object;
  if (isTensorLike(obj)) return tensorSummary(obj);
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString();
  if (obj instanceof RegExp) return obj.toString();
  if (obj instanceof Error) return obj.stack && obj.stack.includes(obj.message) ? obj.stack : `${obj.name}: ${obj.message}`;
  if (typeof Promise !== 'undefined' && obj instanceof Promise) return 'Promise { <pending or settled> }';
  if (seen.has(obj)) return '[Circular *]';

  const ctorName = constructorName(obj);
  if (Array.isArray(obj)) {
    if (depth > o.depth) return '[Array]';
    return withSeen(seen, obj, () => list('', '[', ']', arrayItems(obj, o, depth, seen, indent), o, indent));
  }
  if (ArrayBuffer.isView(obj) && !(obj instanceof DataView)) {
    const arr = obj as unknown as ArrayLike<number | bigint>;
    const items: string[] = [];
    for (let i = 0; i < Math.min(arr.length, o.maxArrayLength); i++) items.push(render(arr[i], o, depth + 1, seen, indent));
    if (arr.length > o.maxArrayLength) items.push(`... ${arr.length - o.maxArrayLength} more items`);
    return list(`${ctorName}(${arr.length}) `, '[', ']', items, o, indent);
  }
  if (obj instanceof ArrayBuffer) return `ArrayBuffer { byteLength: ${obj.byteLength} }`;
  if (obj instanceof Map) {
    if (depth > o.depth) return '[Map]';
    return withSeen(seen, obj, () => {
      const items = [...obj.entries()].slice(0, o.maxArrayLength).map(
        ([k, val]) => `${render(k, o, depth + 1, seen, indent + 2)} => ${render(val, o, depth + 1, seen, indent + 2)}`,
      );
      if (obj.size > o.maxArrayLength) items.push(`... ${obj.size - o.maxArrayLength} more items`);
      return list(`Map(${obj.size}) `, '{', '}', items, o, indent);
    });
  }
  if (obj instanceof Set) {
    if (depth > o.depth) return '[Set]';
    return withSeen(seen, obj, () => {
      const items = [...obj.values()].slice(0, o.maxArrayLength).map((val) => render(val, o, depth + 1, seen, indent + 2));
      if (obj.size > o.maxArrayLength) items.push(`... ${obj.size - o.maxArrayLength} more items`);
      return list(`Set(${obj.size}) `, '{', '}', items, o, indent);
    });
  }
  const prefix = ctorName && ctorName !== 'Object' ? `${ctorName} ` : ctorName === null ? '[Object: null prototype] ' : '';
  if (depth > o.depth) return ctorName && ctorName !== 'Object' ? `[${ctorName}]` : '[Object]';
  return withSeen(seen, obj, () => {
    const keys = Object.keys(obj);
    const items = keys.slice(0, o.maxArrayLength).map((k) => {
      let val: unknown;
      try {
        val = (obj as Record<string, unknown>)[k];
      } catch (err) {
        val = `<getter threw: ${(err as Error).message}>`;
      }
      return `${IDENT.test(k) ? k : quote(k, o.maxStringLength)}: ${render(val, o, depth + 1, seen, indent + 2)}`;
    });
    if (keys.length > o.maxArrayLength) items.push(`... ${keys.length - o.maxArrayLength} more properties`);
    return list(prefix, '{', '}', items, o, indent);
  });
}

function arrayItems(arr: unknown[], o: Required<InspectOptions>, depth: number, seen: Set<object>, indent: number): string[] {
  const items: string[] = [];
  const n = Math.min(arr.length, o.maxArrayLength);
  let holes = 0;
  for (let i = 0; i < n; i++) {
    if (!(i in arr)) {
      holes++;
      continue;
    }
    if (holes) items.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`);
    holes = 0;
    items.push(render(arr[i], o, depth + 1, seen, indent + 2));
  }
  if (holes) items.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`);
  if (arr.length > o.maxArrayLength) items.push(`... ${arr.length - o.maxArrayLength} more items`);
  return items;
}

function withSeen<T>(seen: Set<object>, obj: object, f: () => T): T {
  seen.add(obj);
  try {
    return f();
  } finally {
    seen.delete(obj);
  }
}

function constructorName(obj: object): string | null {
  const proto = Object.getPrototypeOf(obj) as { constructor?: { name?: string } } | null;
  if (proto === null) return null;
  return proto.constructor?.name ?? 'Object';
}

function list(prefix: string, open: string, close: string, items: string[], o: Required<InspectOptions>, indent: number): string {
  if (items.length === 0) return `${prefix}${open}${close}`;
  const oneLine = `${prefix}${open} ${items.join(', ')} ${close}`;
  if (oneLine.length + indent <= o.breakLength && !oneLine.includes('\n')) return oneLine;
  const pad = ' '.repeat(indent + 2);
  // Short scalar items (numbers in a long array) are packed several to a line rather than one per line.
  if (items.every((s) => s.length <= 12 && !s.includes('\n'))) {
    const lines: string[] = [];
    let cur = '';
    for (const s of items) {
      if (cur && pad.length + cur.length + s.length + 2 > o.breakLength) {
        lines.push(cur);
        cur = '';
      }
      cur += (cur ? ' ' : '') + s + ',';
    }
    if (cur) lines.push(cur.replace(/,$/, ''));
    return `${prefix}${open}\n${lines.map((l) => pad + l).join('\n')}\n${' '.repeat(indent)}${close}`;
  }
  return `${prefix}${open}\n${items.map((s) => pad + s).join(',\n')}\n${' '.repeat(indent)}${close}`;
}

/** console.log's formatting: strings as they are, %s/%d/%i/%f/%o/%O/%j/%c substitutions, the rest inspected. */
export function formatLogArgs(args: unknown[]): string {
  if (args.length === 0) return '';
  const parts: string[] = [];
  let rest = args;
  if (typeof args[0] === 'string' && /%[sdifoOjc%]/.test(args[0])) {
    let i = 1;
    const first = args[0].replace(/%([sdifoOjc%])/g, (m, k: string) => {
      if (k === '%') return '%';
      if (i >= args.length) return m;
      const a = args[i++];
      switch (k) {
        case 's':
          return typeof a === 'string' ? a : inspect(a, { depth: 1 });
        case 'd':
        case 'i':
          return String(k === 'i' ? Math.trunc(Number(a)) : Number(a));
        case 'f':
          return String(Number(a));
        case 'j':
          try {
            return JSON.stringify(a);
          } catch {
            return '[Circular]';
          }
        case 'c':
          return '';
        default:
          return inspect(a);
      }
    });
    parts.push(first);
    rest = args.slice(i);
  } else {
    parts.push(logPiece(args[0]));
    rest = args.slice(1);
  }
  for (const a of rest) parts.push(logPiece(a));
  return parts.join(' ');
}

function logPiece(a: unknown): string {
  if (typeof a === 'string') return a;
  if (isTensorLike(a)) {
    if (a.isDisposed) return tensorSummary(a);
    try {
      return a.toString();
    } catch {
      return tensorSummary(a);
    }
  }
  return inspect(a);
}
