// One run's lifecycle over the IndexedDB store, through the package as a bundler resolves it. The outcome
// goes to #report and window.lifecycleResult for the test to read.
import { createEngine, RUN_ENQUEUED } from 'ops-ux-engine';
import { createIndexedDbStore } from 'ops-ux-engine/indexeddb';

async function lifecycle() {
  const store = await createIndexedDbStore({ name: `vite-consumer-${Date.now()}` });
  const engine = await createEngine({ store });
  const scope = { workspace_id: 1, tenant_id: 'contoso' };
  const events = [];
  window.addEventListener(RUN_ENQUEUED, (e) => events.push(e.detail));
  const started = await engine.startRun({ ...scope, user_id: 7, type: 'inventory.sync' });
  await engine.updateRun(scope, started.run.id, { status: 'running' });
  const done = await engine.updateRun(scope, started.run.id, { status: 'completed', outcome: 'succeeded' });
  const retry = await engine.updateRun(scope, started.run.id, { status: 'completed', outcome: 'succeeded' });
  const result = {
    toast: started.toast.title,
    events: events.length,
    run: await engine.getRun(scope, started.run.id),
    retryChanged: retry.changed,
    notifications: (await engine.listNotifications(scope, 7)).map((n) => n.data.title),
    stored: done.notifications.length,
  };
  store.close();
  return result;
}

lifecycle().then(
  (result) => report({ ok: true, ...result }),
  (e) => report({ ok: false, error: String(e?.stack ?? e) }),
);

function report(result) {
  window.lifecycleResult = result;
  document.getElementById('report').textContent = JSON.stringify(result, null, 2);
}
