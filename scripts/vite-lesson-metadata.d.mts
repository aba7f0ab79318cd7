import type { Plugin } from 'vite';
export declare function lessonMetadata(): Plugin;
