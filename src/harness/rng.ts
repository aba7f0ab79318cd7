// Seeded random numbers so a failing conformance case can be replayed from its seed.
export { seededRandom as mulberry32 } from '../util/random';

export function randomArray(rand: () => number, size: number): Float32Array {
  const a = new Float32Array(size);
  for (let i = 0; i < size; i++) a[i] = rand() * 2 - 1;
  return a;
}

export function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}
