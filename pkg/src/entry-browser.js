// Browser entry (plain ES module or a bundler): fetches and instantiates the WebAssembly before the
// module finishes loading, so the pure checks are usable synchronously once imported.
import init from '../dist/glue/ops_ux_engine.js';

await init({ module_or_path: new URL('./ops_ux_engine_bg.wasm', import.meta.url) });

export * from './api.js';
