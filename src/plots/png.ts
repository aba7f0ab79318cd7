// A small synchronous PNG encoder. toMimeBundle() is synchronous, and OffscreenCanvas only encodes
// asynchronously (convertToBlob), so sample grids are encoded here: fixed-Huffman deflate with a
// one-entry-per-hash LZ77 matcher, which shrinks Fashion-MNIST's black backgrounds about tenfold.

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array, crc = 0xffffffff): number {
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return crc;
}

function adler32(bytes: Uint8Array): number {
  let a = 1, b = 0;
  for (let i = 0; i < bytes.length; ) {
    const end = Math.min(i + 5552, bytes.length);
    for (; i < end; i++) { a += bytes[i]; b += a; }
    a %= 65521; b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

class BitWriter {
  private buf = new Uint8Array(1 << 16);
  private len = 0;
  private acc = 0;
  private n = 0;
  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + extra));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  /** Extra bits and headers: least significant bit first. */
  bits(value: number, count: number): void {
    this.acc |= value << this.n;
    this.n += count;
    this.ensure(4);
    while (this.n >= 8) { this.buf[this.len++] = this.acc & 0xff; this.acc >>>= 8; this.n -= 8; }
  }
  /** Huffman codes are packed most significant bit first. */
  code(value: number, count: number): void {
    let rev = 0;
    for (let i = 0; i < count; i++) rev = (rev << 1) | ((value >>> i) & 1);
    this.bits(rev, count);
  }
  finish(): Uint8Array {
    if (this.n > 0) { this.ensure(1); this.buf[this.len++] = this.acc & 0xff; this.acc = 0; this.n = 0; }
    return this.buf.slice(0, this.len);
  }
}

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

function writeLitLen(w: BitWriter, sym: number): void {
  if (sym < 144) w.code(0x30 + sym, 8);
  else if (sym < 256) w.code(0x190 + sym - 144, 9);
  else if (sym < 280) w.code(sym - 256, 7);
  else w.code(0xc0 + sym - 280, 8);
}

function indexOfBase(bases: number[], v: number): number {
  let i = bases.length - 1;
  while (bases[i] > v) i--;
  return i;
}

/** zlib stream (RFC 1950) around one fixed-Huffman deflate block (RFC 1951). */
export function zlibDeflate(data: Uint8Array): Uint8Array {
  const w = new BitWriter();
  w.bits(0x78, 8); w.bits(0x01, 8); // CMF/FLG: deflate, 32 KiB window, check bits valid
  w.bits(1, 1); w.bits(1, 2); // final block, fixed Huffman
  const HASH = 1 << 15, WINDOW = 32768, MAX_LEN = 258;
  const head = new Int32Array(HASH).fill(-1);
  const hash = (i: number) => ((data[i] << 10) ^ (data[i + 1] << 5) ^ data[i + 2]) & (HASH - 1);
  let i = 0;
  while (i < data.length) {
    let matchLen = 0, matchDist = 0;
    if (i + 2 < data.length) {
      const h = hash(i);
      const cand = head[h];
      head[h] = i;
      if (cand >= 0 && i - cand <= WINDOW) {
        const max = Math.min(MAX_LEN, data.length - i);
        let l = 0;
        while (l < max && data[cand + l] === data[i + l]) l++;
        if (l >= 3) { matchLen = l; matchDist = i - cand; }
      }
    }
    if (matchLen) {
      const li = indexOfBase(LENGTH_BASE, matchLen);
      writeLitLen(w, 257 + li);
      if (LENGTH_EXTRA[li]) w.bits(matchLen - LENGTH_BASE[li], LENGTH_EXTRA[li]);
      const di = indexOfBase(DIST_BASE, matchDist);
      w.code(di, 5);
      if (DIST_EXTRA[di]) w.bits(matchDist - DIST_BASE[di], DIST_EXTRA[di]);
      // Index the skipped positions too, so runs keep finding their previous occurrence.
      for (let k = 1; k < matchLen && i + k + 2 < data.length; k++) head[hash(i + k)] = i + k;
      i += matchLen;
    } else {
      writeLitLen(w, data[i]);
      i++;
    }
  }
  writeLitLen(w, 256);
  const body = w.finish();
  const out = new Uint8Array(body.length + 4);
  out.set(body);
  new DataView(out.buffer).setUint32(body.length, adler32(data), false);
  return out;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length, false);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, (crc32(out.subarray(4, 8 + data.length)) ^ 0xffffffff) >>> 0, false);
  return out;
}

/** Encodes 8-bit grey (channels 1) or RGB (channels 3) pixels, row-major, as a PNG file. */
export function encodePng(pixels: Uint8Array, width: number, height: number, channels: 1 | 3): Uint8Array {
  if (pixels.length !== width * height * channels) throw new Error(`encodePng: expected ${width * height * channels} bytes, got ${pixels.length}`);
  const stride = width * channels;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter "None": the LZ77 matcher already finds repeated rows
    raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width, false);
  v.setUint32(4, height, false);
  ihdr[8] = 8;
  ihdr[9] = channels === 1 ? 0 : 2;
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlibDeflate(raw)),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
