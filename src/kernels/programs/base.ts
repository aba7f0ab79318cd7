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

/** Workgroups for a flat dispatch of `count` invocations, kept under the per-dimension limit by the backend. */
export function flatDispatch(count: number, workgroup = 64): [number, number, number] {
  return [Math.max(1, Math.ceil(count / workgroup)), 1, 1];
}
