// One of the 8 processes of row 6: `node pg-worker.mjs engine|raw <lifecycles> <worker>` (forked, with IPC).
// Connects, warms up, says "ready", waits for "go", runs its lifecycles, says how long they took.
import pg from 'pg';
import { openPostgres } from './postgres.mjs';

const [mode, count, worker] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
// Each worker its own tenant: the workers must not dedup against each other.
const lifecycle = await openPostgres(pool, mode, 1000 + Number(worker));
for (let i = 0; i < 5; i++) await lifecycle();
process.send({ ready: true });
process.once('message', async () => {
  const t0 = performance.now();
  for (let i = 0; i < Number(count); i++) await lifecycle();
  process.send({ ms: performance.now() - t0 });
  await pool.end();
  process.disconnect();
});
