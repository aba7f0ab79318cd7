export declare const WEBGPU_ARGS: string[];
export declare function findChromium(): string;
