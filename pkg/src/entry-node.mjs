// Node ESM entry: the WebAssembly is compiled synchronously at import, so everything is ready at once.
import { readFileSync } from 'node:fs';
import { initSync } from '../dist/glue/ops_ux_engine.js';

initSync({ module: readFileSync(new URL('./ops_ux_engine_bg.wasm', import.meta.url)) });

export * from './api.js';
