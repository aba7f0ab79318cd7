import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'vite';
export declare const DATASET_ORIGINS: string[];
export declare function pagePolicy(options?: { dev?: boolean; meta?: boolean }): string;
export declare function workerPolicy(): string;
export declare function reactRefreshPreambleHash(): string;
export declare function policyFor(req: IncomingMessage, dev: boolean): string | null;
export declare function contentSecurityPolicy(): Plugin;
