// The shared conformance suite on the embedded store and on the plain-JS reference store (sync and async).
import { test } from 'node:test';
import { runConformance } from 'ops-ux-engine/conformance';
import { ReferenceStore, asyncStore } from './support/stores.mjs';

runConformance({ name: 'embedded', test, embedded: true, createStore: () => ({ store: undefined }) });
runConformance({ name: 'reference', test, createStore: () => ({ store: new ReferenceStore() }) });
runConformance({ name: 'reference async', test, createStore: () => ({ store: asyncStore(new ReferenceStore()) }) });
