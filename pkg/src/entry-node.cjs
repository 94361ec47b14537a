// Node CommonJS entry: as the ESM one, with the path from __dirname.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { initSync } = require('../dist/glue/ops_ux_engine.js');

initSync({ module: readFileSync(join(__dirname, 'ops_ux_engine_bg.wasm')) });

module.exports = require('./api.js');
