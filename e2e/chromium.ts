// One copy of the Chromium lookup lives in scripts/chromium.mjs (Node scripts cannot import .ts).
export { findChromium, WEBGPU_ARGS } from '../scripts/chromium.mjs';
