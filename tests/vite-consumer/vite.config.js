// What a Vite app needs for ops-ux-engine: the dev server must not pre-bundle the package, because
// pre-bundling moves its browser entry into .vite/deps, away from the .wasm that its
// `new URL('./ops_ux_engine_bg.wasm', import.meta.url)` points at (the dev server then answers that URL
// with index.html). `vite build` needs nothing: it emits the .wasm as an asset and rewrites the URL.
import { defineConfig } from 'vite';

export default defineConfig({
  optimizeDeps: { exclude: ['ops-ux-engine'] },
});
