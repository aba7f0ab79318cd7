// One tiled implicit-GEMM shader body shared by conv forward and both conv gradients.
// Each op supplies only how A(m,k), B(k,n) are gathered and how C(m,n) is stored, as WGSL functions:
//   fn loadA4(m: i32, k: i32) -> vec4<f32>   rows m..m+3 of column k (zero outside the problem)
//   fn loadB4(k: i32, n: i32) -> vec4<f32>   columns n..n+3 of row k (zero outside the problem)
//   fn storeC4(m: i32, n: i32, v: vec4<f32>) row m, columns n..n+3 (bounds-checked by the op)
//   fn setupRows(m0: i32)                      once per invocation: the four A rows it stages are m0..m0+3
// The tile is staged in workgroup memory as vec4 along M (A) and along N (B) so the inner product reads two
// vec4 per step into four named accumulators: SwiftShader keeps dynamically indexed local arrays in memory,
// so the k loop is written out and the accumulators are plain variables (see ../shared notes, verified in bench).
import { TILE_K, TILE_M, TILE_N, WORKGROUP } from '../tiling';

/** Uniform fields every GEMM program carries first, in this order. */
export const GEMM_UNIFORMS = 'M : i32, N : i32, K : i32, kChunk : i32,';

export function gemmMain(): string {
  const threads = WORKGROUP[0] * WORKGROUP[1];
  const aVecs = (TILE_K * TILE_M) / 4;
  const bVecs = (TILE_K * TILE_N) / 4;
  const mGroups = TILE_M / 4;
  const nGroups = TILE_N / 4;
  const loadsA: string[] = [];
  for (let j = 0; j < aVecs / threads; j++) {
    loadsA.push(`{
      let idx = li + ${j * threads};
      let kk = idx / ${mGroups};
      let mg = idx - kk * ${mGroups};
      let kg = kt + kk;
      if (kg < kEnd) { tileA[idx] = loadA4(tileM + mg * 4, kg); } else { tileA[idx] = vec4<f32>(0.0); }
    }`);
  }
  const loadsB: string[] = [];
  for (let j = 0; j < bVecs / threads; j++) {
    loadsB.push(`{
      let idx = li + ${j * threads};
      let kk = idx / ${nGroups};
      let ng = idx - kk * ${nGroups};
      let kg = kt + kk;
      if (kg < kEnd) { tileB[idx] = loadB4(kg, tileN + ng * 4); } else { tileB[idx] = vec4<f32>(0.0); }
    }`);
  }
  // Each invocation owns RM rows × RN columns: RM/… named vec4 accumulators, one per (row, column group).
  const rm = TILE_M / WORKGROUP[1];
  const rnv = TILE_N / WORKGROUP[0] / 4;
  const accNames: string[] = [];
  for (let r = 0; r < rm; r++) for (let c = 0; c < rnv; c++) accNames.push(`acc${r}_${c}`);
  const comps = ['x', 'y', 'z', 'w'];
  const steps: string[] = [];
  for (let kk = 0; kk < TILE_K; kk++) {
    const lines: string[] = [];
    for (let g = 0; g < rm / 4; g++) lines.push(`a${g} = tileA[${kk * mGroups} + ty * ${rm / 4} + ${g}];`);
    for (let c = 0; c < rnv; c++) lines.push(`b${c} = tileB[${kk * nGroups} + tx * ${rnv} + ${c}];`);
    for (let r = 0; r < rm; r++) {
      for (let c = 0; c < rnv; c++) lines.push(`acc${r}_${c} = fma(vec4<f32>(a${Math.floor(r / 4)}.${comps[r % 4]}), b${c}, acc${r}_${c});`);
    }
    steps.push(lines.join(' '));
  }
  const stores: string[] = [];
  for (let r = 0; r < rm; r++) for (let c = 0; c < rnv; c++) stores.push(`storeC4(m0 + ${r}, n0 + ${c * 4}, acc${r}_${c});`);
  const regs = [
    ...accNames.map((n) => `var ${n} = vec4<f32>(0.0);`),
    ...Array.from({ length: rm / 4 }, (_, g) => `var a${g} : vec4<f32>;`),
    ...Array.from({ length: rnv }, (_, c) => `var b${c} : vec4<f32>;`),
  ];
  return `
  var<workgroup> tileA : array<vec4<f32>, ${aVecs}>;
  var<workgroup> tileB : array<vec4<f32>, ${bVecs}>;
  var<private> splitIndex : i32;

  fn main() {
    let tx = i32(localId.x);
    let ty = i32(localId.y);
    let li = i32(localIndex);
    let tileN = i32(workgroupId.x) * ${TILE_N};
    let tileM = i32(workgroupId.y) * ${TILE_M};
    splitIndex = i32(workgroupId.z);
    let kBegin = splitIndex * uniforms.kChunk;
    let kEnd = min(uniforms.K, kBegin + uniforms.kChunk);
    ${regs.join('\n    ')}
    // Staging indices below keep idx % ${mGroups} == li % ${mGroups}: each invocation always loads the same A rows.
    setupRows(tileM + (li % ${mGroups}) * 4);
    // The trip count depends only on uniforms: barriers must sit in uniform control flow.
    for (var t = 0; t < uniforms.kChunk; t = t + ${TILE_K}) {
      let kt = kBegin + t;
      ${loadsA.join('\n      ')}
      ${loadsB.join('\n      ')}
      workgroupBarrier();
      ${steps.join('\n      ')}
      workgroupBarrier();
    }
    let m0 = tileM + ty * ${rm};
    let n0 = tileN + tx * ${rnv * 4};
    ${stores.join('\n    ')}
  }
`;
}
