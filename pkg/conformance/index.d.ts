import type { EngineOptions, HostStore } from 'ops-ux-engine';

/** A fresh, empty store for one case; `close` runs after the case. */
export interface ConformanceStore {
  /** Undefined only with `embedded: true`: the engine's embedded store. */
  store?: HostStore;
  close?: () => void | Promise<void>;
}

export interface ConformanceOptions {
  /** Called once per case. */
  createStore: () => ConformanceStore | Promise<ConformanceStore>;
  /** The store is the embedded one (`store: undefined`): the contract cases are left out. */
  embedded?: boolean;
  /** False for stores documented to hold integer scope and user ids only. Default true. */
  stringIds?: boolean;
  /** Passed to createEngine, besides the store. */
  engineOptions?: Omit<EngineOptions, 'store'>;
}

export interface ConformanceCase {
  name: string;
  /** Resolves, or throws an Error that says what broke. */
  run: () => Promise<void>;
}

/** The cases, for any runner (a browser page, a custom harness). */
export declare function conformanceCases(options: ConformanceOptions): ConformanceCase[];

/** Registers every case with `test(name, fn)` — node:test's `test`, or any runner's. */
export declare function runConformance(
  options: ConformanceOptions & { name?: string; test: (name: string, fn: () => Promise<void>) => unknown },
): void;
