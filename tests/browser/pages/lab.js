// Puts the package on `window.lab` for tests that drive the page with page.evaluate, and a barrier so
// several pages of one origin can act at the same moment.
import { createEngine, OpsUxError } from 'ops-ux-engine';
import { createIndexedDbStore, deleteIndexedDbStore } from 'ops-ux-engine/indexeddb';

/** Resolves when some page of this origin posts `name` on the "lab" channel: the starting gun of a race. */
function barrier(name) {
  const channel = new BroadcastChannel('lab');
  return new Promise((resolve) => {
    channel.onmessage = (e) => {
      if (e.data !== name) return;
      channel.close();
      resolve();
    };
  });
}

function fire(name) {
  const channel = new BroadcastChannel('lab');
  channel.postMessage(name);
  channel.close();
}

window.lab = { createEngine, OpsUxError, createIndexedDbStore, deleteIndexedDbStore, barrier, fire };
