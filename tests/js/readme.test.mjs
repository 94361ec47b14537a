// The README's JavaScript examples are tests: each ```js block runs as its own ES module and must exit 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const root = new URL('../../', import.meta.url);
const outDir = new URL('tests/.out/', root);
const readme = await readFile(new URL('README.md', root), 'utf8');
const blocks = [...readme.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]);

test('the README has runnable examples', () => {
  assert.ok(blocks.length >= 4, `found ${blocks.length} js blocks`);
});

await mkdir(outDir, { recursive: true });
for (const [i, code] of blocks.entries()) {
  const firstLine = code.split('\n').find((l) => l.trim() && !l.startsWith('import')) ?? '';
  test(`README example ${i + 1}: ${firstLine.trim().slice(0, 60)}`, async () => {
    const file = new URL(`readme-${i + 1}.mjs`, outDir);
    await writeFile(file, code);
    // Rejects with the example's stderr when it throws or exits non-zero.
    await promisify(execFile)(process.execPath, [file.pathname], { cwd: root.pathname, timeout: 30_000 });
  });
}
