import type { Plugin } from 'vite';
export declare const CELL_TYPES_ROOT: string;
export declare function cellTypes(): Plugin;
