// The fields tfjs's webgpu backend reads from a program, filled in once so each program states only its shader.
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

export abstract class ConvLabProgram implements WebGPUProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[]; y?: number[]; z?: number[] };
  dispatch: [number, number, number];
  variableNames: string[];
  variableComponents?: number[];
  outputComponent?: number;
  workgroupSize: [number, number, number];
  uniforms?: string;
  size = false;

  constructor(init: {
    outputShape: number[];
    shaderKey: string;
    variableNames: string[];
    dispatch: [number, number, number];
    workgroupSize: [number, number, number];
    uniforms?: string;
    flat: boolean;
    variableComponents?: number[];
    outputComponent?: number;
  }) {
    this.outputShape = init.outputShape;
    this.shaderKey = init.shaderKey;
    this.variableNames = init.variableNames;
    this.dispatch = init.dispatch;
    this.workgroupSize = init.workgroupSize;
    this.uniforms = init.uniforms;
    // A flat layout makes the backend call main(index); a 2-D one calls main() and leaves the ids to us.
    this.dispatchLayout = init.flat ? { x: [0] } : { x: [0], y: [1] };
    this.variableComponents = init.variableComponents;
    this.outputComponent = init.outputComponent;
  }

  abstract getUserCode(): string;
}

/**
 * Workgroups for a flat dispatch of `count` invocations. Past the 65535-per-dimension limit the grid folds into
 * two dimensions; tfjs's getGlobalIndex then linearises (x, y) and every program guards index < its count.
 */
export function flatDispatch(count: number, workgroup = 64): [number, number, number] {
  const groups = Math.max(1, Math.ceil(count / workgroup));
  if (groups <= 65535) return [groups, 1, 1];
  const y = Math.ceil(groups / 65535);
  return [Math.ceil(groups / y), y, 1];
}

/**
 * Like flatDispatch but never a [n, 1, 1] grid: tfjs keys the pipeline on whether the dispatch is flat (and
 * generates a different getGlobalIndex), so a program dispatched both ways would compile twice. Two or more
 * rows always; the program guards index < its count.
 */
export function gridDispatch(count: number, workgroup = 64): [number, number, number] {
  const groups = Math.max(1, Math.ceil(count / workgroup));
  const y = Math.max(2, Math.ceil(groups / 65535));
  return [Math.ceil(groups / y), y, 1];
}
