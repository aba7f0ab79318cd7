// Page side of scripts/microbench-kernels.mjs: raw WebGPU, each variant checked against a JS reference first.
const adapter = await navigator.gpu.requestAdapter();
const device = await adapter.requestDevice({ requiredLimits: { maxComputeInvocationsPerWorkgroup: 256, maxComputeWorkgroupSizeX: 256 } });
const log = (...a) => console.log(a.join(' '));

function buf(data, usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST) {
  const b = device.createBuffer({ size: Math.max(16, data.byteLength), usage });
  device.queue.writeBuffer(b, 0, data);
  return b;
}
async function read(b, n) {
  const r = device.createBuffer({ size: n * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const e = device.createCommandEncoder(); e.copyBufferToBuffer(b, 0, r, 0, n * 4); device.queue.submit([e.finish()]);
  await r.mapAsync(GPUMapMode.READ); const out = new Float32Array(r.getMappedRange().slice(0)); r.destroy(); return out;
}
function rand(n, seed) { let s = seed; const a = new Float32Array(n); for (let i = 0; i < n; i++) { s = (s * 1664525 + 1013904223) >>> 0; a[i] = s / 2 ** 32 - 0.5; } return a; }

async function timeDispatch(code, bindings, workgroups, reps) {
  const module = device.createShaderModule({ code });
  const info = await module.getCompilationInfo();
  for (const m of info.messages) if (m.type === 'error') throw new Error(`${m.lineNum}:${m.linePos} ${m.message}`);
  const tc = performance.now();
  const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  log(`  compile ${(performance.now() - tc).toFixed(0)} ms`);
  const bg = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: bindings.map((b, i) => ({ binding: i, resource: { buffer: b } })) });
  const once = async () => {
    const t0 = performance.now();
    const e = device.createCommandEncoder(); const p = e.beginComputePass();
    p.setPipeline(pipeline); p.setBindGroup(0, bg);
    const wg = Array.isArray(workgroups) ? workgroups : [workgroups, 1, 1];
    p.dispatchWorkgroups(...wg); p.end(); device.queue.submit([e.finish()]);
    await device.queue.onSubmittedWorkDone();
    return performance.now() - t0;
  };
  await once();
  const t = []; for (let i = 0; i < reps; i++) t.push(await once());
  t.sort((a, b) => a - b); return t[t.length >> 1];
}

// ---------------- conv forward, NHWC, same padding, stride s ----------------
const CV = { b: 8, h: 28, w: 28, ci: 64, co: 64, k: 3, s: 1 };
function convRef(x, wt) {
  const { b, h, w, ci, co, k, s } = CV; const oh = Math.ceil(h / s), ow = Math.ceil(w / s);
  const pt = Math.floor(Math.max((oh - 1) * s + k - h, 0) / 2), pl = Math.floor(Math.max((ow - 1) * s + k - w, 0) / 2);
  const y = new Float32Array(b * oh * ow * co);
  for (let n = 0; n < b; n++) for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) {
    const yo = ((n * oh + i) * ow + j) * co;
    for (let kh = 0; kh < k; kh++) { const ih = i * s - pt + kh; if (ih < 0 || ih >= h) continue;
      for (let kw = 0; kw < k; kw++) { const iw = j * s - pl + kw; if (iw < 0 || iw >= w) continue;
        const xo = ((n * h + ih) * w + iw) * ci; const wo = (kh * k + kw) * ci * co;
        for (let c = 0; c < ci; c++) { const xv = x[xo + c]; const wr = wo + c * co; for (let o = 0; o < co; o++) y[yo + o] += xv * wt[wr + o]; } } }
  }
  return { y, oh, ow, pt, pl };
}

function convFwdShader(R, C, order, mask, wg = 64) {
  const rows = [...Array(R).keys()], cols = [...Array(C).keys()], comps = ['x', 'y', 'z', 'w'];
  const L = [];
  for (const r of rows) L.push(`let mr${r} = min(m0 + ${r}, u.M - 1); let b${r} = mr${r} / plane; let q${r} = mr${r} - b${r} * plane; let oh${r} = q${r} / u.outW; let ow${r} = q${r} - oh${r} * u.outW;
    let base${r} = b${r} * u.inH * u.inW * u.inC4; let h${r} = oh${r} * u.sH - u.pT; let w${r} = ow${r} * u.sW - u.pL;`);
  const acc = []; for (const r of rows) for (const c of cols) acc.push(`var acc${r}_${c} = vec4f(0.0);`);
  const tap = rows.map((r) => `let ih${r} = h${r} + kh; let iw${r} = w${r} + kw; let ok${r} = ih${r} >= 0 && ih${r} < u.inH && iw${r} >= 0 && iw${r} < u.inW;
        let p${r} = select(0, base${r} + (ih${r} * u.inW + iw${r}) * u.inC4, ok${r});${mask === 'mul' ? ` let f${r} = select(0.0, 1.0, ok${r});` : ''}`).join('\n        ');
  const body = [];
  for (const r of rows) body.push(mask === 'mul' ? `let a${r} = X[p${r} + c] * f${r};` : `let a${r} = select(vec4f(0.0), X[p${r} + c], ok${r});`);
  for (let j = 0; j < 4; j++) for (const c of cols) body.push(`let b${j}_${c} = W[wi + ${j} * u.outC4 + ${c}];`);
  for (const r of rows) for (const c of cols) for (let j = 0; j < 4; j++) body.push(`acc${r}_${c} = fma(vec4f(a${r}.${comps[j]}), b${j}_${c}, acc${r}_${c});`);
  const st = []; for (const r of rows) for (const c of cols) st.push(`if (m0 + ${r} < u.M) { Y[(m0 + ${r}) * u.outC4 + nq0 + ${c}] = acc${r}_${c}; }`);
  const idx = order === 'n' ? 'let mg = id / u.nGroups; let ng = id - mg * u.nGroups;' : 'let ng = id / u.mGroups; let mg = id - ng * u.mGroups;';
  return `
struct U { M : i32, inH : i32, inW : i32, inC4 : i32, outH : i32, outW : i32, outC4 : i32, kH : i32, kW : i32, sH : i32, sW : i32, pT : i32, pL : i32, mGroups : i32, nGroups : i32, pad : i32 }
@group(0) @binding(0) var<storage, read> X : array<vec4f>;
@group(0) @binding(1) var<storage, read> W : array<vec4f>;
@group(0) @binding(2) var<storage, read_write> Y : array<vec4f>;
@group(0) @binding(3) var<uniform> u : U;
@compute @workgroup_size(${wg})
fn main(@builtin(global_invocation_id) g : vec3u) {
  let id = i32(g.x);
  if (id >= u.mGroups * u.nGroups) { return; }
  ${idx}
  let m0 = mg * ${R}; let nq0 = ng * ${C};
  let plane = u.outH * u.outW;
  ${L.join('\n  ')}
  ${acc.join(' ')}
  for (var kh = 0; kh < u.kH; kh++) {
    for (var kw = 0; kw < u.kW; kw++) {
        ${tap}
      var wi = (kh * u.kW + kw) * u.inC4 * 4 * u.outC4 + nq0;
      for (var c = 0; c < u.inC4; c++) {
        ${body.join('\n        ')}
        wi += 4 * u.outC4;
      }
    }
  }
  ${st.join('\n  ')}
}`;
}

async function benchConv(reps, f) {
  const { b, h, w, ci, co, k, s } = CV;
  const x = rand(b * h * w * ci, 1), wt = rand(k * k * ci * co, 2);
  const ref = convRef(x, wt);
  const M = b * ref.oh * ref.ow; const flops = 2 * M * co * k * k * ci;
  const X = buf(x), Wb = buf(wt), Y = buf(new Float32Array(M * co));
  for (const [R, C, order, mask, wg = 64] of window.CONV_VARIANTS ?? [[4, 1, 'n', 'sel'], [2, 4, 'm', 'sel']]) {
    const name = `conv R${R} C${C} ${order}-fast ${mask} wg${wg}`;
    if (f && !name.includes(f)) continue;
    const mGroups = Math.ceil(M / R), nGroups = co / 4 / C;
    const U = new Int32Array([M, h, w, ci / 4, ref.oh, ref.ow, co / 4, k, k, s, s, ref.pt, ref.pl, mGroups, nGroups, 0]);
    const Ub = buf(U, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    const ms = await timeDispatch(convFwdShader(R, C, order, mask, wg), [X, Wb, Y, Ub], Math.ceil((mGroups * nGroups) / wg), reps);
    const out = await read(Y, M * co);
    let err = 0, mx = 0; for (let i = 0; i < out.length; i++) { err = Math.max(err, Math.abs(out[i] - ref.y[i])); mx = Math.max(mx, Math.abs(ref.y[i])); }
    log(`${name}: ${ms.toFixed(1)} ms  ${(flops / ms / 1e6).toFixed(2)} GFLOP/s  relErr ${(err / mx).toExponential(1)}`);
    device.queue.writeBuffer(Y, 0, new Float32Array(M * co).fill(NaN));
  }
}

window.runAll = async (f, reps) => {
  log(`adapter ${adapter.info?.architecture} limits wgStorage ${adapter.limits.maxComputeWorkgroupStorageSize}`);
  await benchConv(reps, f);
};
