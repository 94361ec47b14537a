// Tenant isolation as a differential property: a random program of calls across several scopes runs on the
// store under test, and each scope's calls alone run on a fresh engine of their own (the per-scope model,
// over a ReferenceStore). Every call must answer exactly what the model answers — ids mapped by the run
// they name — and every record it shows must be of the caller's scope and user.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createEngine } from 'ops-ux-engine';
import { ReferenceStore } from './stores.mjs';
import { OUTCOMES } from './helpers.mjs';
import { jsonOf, checkRun, checkNotification, checkStartResult, checkUpdateResult, STATUSES } from './shapes.mjs';

export const TYPES = ['inventory.sync', 'policy.backup'];
const IDENTITIES = [undefined, 'a', 1, '1', { k: [1] }];
const UPDATES = [
  { status: 'running' },
  ...OUTCOMES.map((outcome) => ({ status: 'completed', outcome })),
  { status: 'queued' },
  { status: 'completed' },
  { summary_counts: { processed: 2 } },
  { status: 'running', summary_counts: { total: 5 } },
  { failure_summary: [{ code: 'e', message: 'm' }] },
  { context: { note: 'n' } },
];
/** A run id no store of a test ever assigns. */
const ABSENT = 10 ** 9;

/**
 * The stores under test and their ids. `scopes` and `users` are the store's own; `foreignScopes` and
 * `foreignUsers` have the other id type, which a SQL store refuses (E_STORE) rather than coerce.
 */
export const ID_SETS = {
  mixed: {
    scopes: [[1, 1], [1, '1'], ['1', 1], [1, 2], [2, 1], ['a', 'b'], ['b', 'a']],
    users: [7, '7', 8],
    foreignScopes: [],
    foreignUsers: [],
  },
  integer: { scopes: [[1, 1], [1, 2], [2, 1], [2, 2]], users: [7, 8], foreignScopes: [[1, '1'], ['1', 1]], foreignUsers: ['7'] },
  text: { scopes: [['1', '1'], ['1', '2'], ['2', '1'], ['01', '1']], users: ['7', '8'], foreignScopes: [[1, '1'], ['1', 1]], foreignUsers: [7] },
};

const scopeKey = (scope) => jsonOf([scope.workspace_id, scope.tenant_id]);

/** The notification id the engine derives from run and initiator (FNV-1a 128 → UUID v8, notification.rs). */
export function notificationId(runId, userId) {
  const input = Buffer.from(`OperationRunCompleted\x1f${JSON.stringify(runId)}\x1f${JSON.stringify(userId)}`);
  const MASK = (1n << 128n) - 1n;
  let hash = 0x6c62272e07bb014262b821756295c58dn;
  for (const byte of input) hash = ((hash ^ BigInt(byte)) * 0x0000000001000000000000000000013bn) & MASK;
  const bytes = Buffer.from(hash.toString(16).padStart(32, '0'), 'hex');
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Commands for `ids` (see ID_SETS); `gaps` adds direct store commits that leave a completion unnotified. */
export function programs(ids, { gaps, maxLength }) {
  const own = ids.scopes.length;
  const scope = fc.oneof(
    { weight: 8, arbitrary: fc.nat(own - 1) },
    { weight: ids.foreignScopes.length > 0 ? 1 : 0, arbitrary: fc.nat(Math.max(0, ids.foreignScopes.length - 1)).map((i) => own + i) },
  );
  // A scope may come as a run-like object: extra fields are ignored, only workspace_id and tenant_id count.
  const scopeArg = fc.record({ at: scope, extra: fc.boolean() });
  // For a call that names a run: mostly the scope of the run it names (a run of the caller's), else any scope.
  const scopeOfRun = fc.oneof({ weight: 3, arbitrary: fc.record({ ofRun: fc.constant(true), extra: fc.boolean() }) }, { weight: 2, arbitrary: scopeArg });
  const user = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...ids.users) },
    { weight: ids.foreignUsers.length > 0 ? 1 : 0, arbitrary: fc.constantFrom(...ids.foreignUsers, ...ids.users) },
  );
  // Mostly a run of the caller's own scope; else any run started so far (most of them another scope's).
  const run = fc.record({
    handle: fc.nat(63),
    own: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    form: fc.oneof({ weight: 6, arbitrary: fc.constant('id') }, { weight: 1, arbitrary: fc.constantFrom('string', 'absent') }),
  });
  const limit = fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constant(1000));
  const command = fc.oneof(
    { weight: 5, arbitrary: fc.record({ op: fc.constant('start'), scope: scopeArg, user: fc.option(user), type: fc.constantFrom(...TYPES), identity: fc.constantFrom(...IDENTITIES.keys()) }) },
    { weight: 8, arbitrary: fc.record({ op: fc.constant('update'), scope: scopeOfRun, run, update: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: OUTCOMES.length }), fc.nat(UPDATES.length - 1)) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('get'), scope: scopeOfRun, run }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('listRuns'),
        scope: scopeArg,
        filter: fc.record({ status: fc.oneof(fc.constantFrom(...STATUSES), fc.subarray(STATUSES)), type: fc.constantFrom(...TYPES), limit }, { requiredKeys: [] }),
      }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('listNotifications'), scope: scopeArg, user, filter: fc.record({ unread: fc.boolean(), limit }, { requiredKeys: [] }) }) },
    // Mostly the caller's own notification id (`of` null: the caller's user), sometimes another user's.
    // The user is mostly the initiator of the run it names ('ofRun'), so that notifications exist to be read.
    {
      weight: 3,
      arbitrary: fc.record({
        op: fc.constant('markRead'),
        scope: scopeOfRun,
        user: fc.oneof({ weight: 3, arbitrary: fc.constant('ofRun') }, { weight: 2, arbitrary: user }),
        run,
        of: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: user }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('reconcile'), scope: fc.option(scopeArg), limit: fc.option(fc.integer({ min: 1, max: 2 })) }) },
    { weight: gaps ? 2 : 0, arbitrary: fc.record({ op: fc.constant('gap'), run }) },
  );
  return fc.array(command, { minLength: 4, maxLength, size: 'max' });
}

const T0 = Date.parse('2026-03-01T09:00:00.000Z');

/**
 * Runs programs on one kind of store: `make()` gives `{ engine, store, rows(), close() }` over a clock it is
 * handed (`rows()` lists every stored run and notification as `{ runs, notifications }`, for the count check).
 */
export class Harness {
  constructor(ids, make) {
    this.ids = ids;
    this.make = make;
    this.now = T0;
    this.clock = () => this.now;
  }

  /** The scope object a command passes: of index `at` (own scopes first, then foreign), or that of the run it names. */
  scopeAt({ at, ofRun, extra }, run, handles) {
    const h = ofRun && handles.length > 0 ? handles[run.handle % handles.length] : null;
    const [workspace_id, tenant_id] = h ? JSON.parse(h.key) : [...this.ids.scopes, ...this.ids.foreignScopes][ofRun ? 0 : at];
    return extra ? { id: 5, user_id: 7, type: 'x', workspace_id, tenant_id, status: 'queued' } : { workspace_id, tenant_id };
  }

  isForeign(command) {
    const foreignScope = command.scope && !command.scope.ofRun && command.scope.at >= this.ids.scopes.length;
    // `of` only names whose notification is asked for: it reaches the store inside the id, not as an id.
    const foreignUser = this.ids.foreignUsers.includes(command.user);
    return foreignScope || foreignUser;
  }

  /** Runs `program`: every command against the store under test and its scope's model, compared; then the final states. */
  async run(program) {
    const main = await this.make(this.clock);
    const models = new Map();
    for (const [workspace_id, tenant_id] of this.ids.scopes) {
      const ref = new ReferenceStore();
      models.set(scopeKey({ workspace_id, tenant_id }), { ref, engine: await createEngine({ store: ref, clock: this.clock }), ids: new Map() });
    }
    /** Runs started in the store under test, by handle: { key (scope), id (there), modelId }. */
    const handles = [];
    const mainIds = new Map();
    try {
      for (const [step, command] of program.entries()) {
        this.now = T0 + step * 1000;
        await this.step(main, models, handles, mainIds, command, step);
      }
      this.now = T0 + program.length * 1000;
      await this.compareFinalStates(main, models, handles, mainIds);
    } finally {
      for (const model of models.values()) model.engine.free();
      await main.close();
    }
  }

  /** The run id a command names, under test and in the model of scope `key`. */
  runIds(ref, handles, key) {
    const named = handles.length === 0 ? null : handles[ref.handle % handles.length];
    const mine = handles.filter((x) => x.key === key);
    const h = ref.own && named?.key !== key && mine.length > 0 ? mine[ref.handle % mine.length] : named;
    if (ref.form === 'absent' || h === null) return { main: ABSENT + ref.handle, model: ABSENT + ref.handle, handle: h };
    // Another scope's run does not exist for this caller: the model names a run it has never had.
    const model = h.key === key ? h.modelId : ABSENT + ref.handle;
    return ref.form === 'string' ? { main: String(h.id), model: String(model), handle: h } : { main: h.id, model, handle: h };
  }

  async step(main, models, handles, mainIds, command, step) {
    const label = `step ${step}: ${jsonOf(command)}`;
    const scope = command.scope ? this.scopeAt(command.scope, command.run, handles) : null;
    const key = scope && scopeKey(scope);
    const user = command.user === 'ofRun' ? this.userOfRun(command.run, handles) : command.user ?? null;
    if (command.op === 'gap') return this.gap(main, models, handles, command);
    const calls = this.calls(command, scope, user, handles, key);
    const got = await outcome(() => calls.main(main.engine));
    if (this.isForeign(command)) {
      assert.ok('error' in got && got.error.code === 'E_STORE', `${label}: an id of the other type is refused by the SQL store (E_STORE), got ${describe(got)}`);
      return;
    }
    this.checkOwn(command, scope, user, got, label);
    if (command.op === 'start' && 'value' in got) this.remember(handles, mainIds, got.value.run, key);
    // A call without a scope (reconcile of every scope) is every model's call; its counts add up.
    const targets = command.op === 'reconcile' && !scope ? [...models.keys()] : [key];
    const expected = [];
    for (const target of targets) {
      const model = models.get(target);
      const answer = await outcome(() => calls.model(model.engine, target));
      if (command.op === 'start' && 'value' in answer && 'value' in got) {
        const h = handles.find((x) => x.key === key && jsonOf(x.id) === jsonOf(got.value.run.id));
        if (h.modelId === undefined) h.modelId = answer.value.run.id;
        model.ids.set(jsonOf(answer.value.run.id), h.handle);
      }
      expected.push(answer);
    }
    const merged = targets.length === 1 ? expected[0] : sumReconciled(expected);
    assert.deepEqual(
      this.normalize(got, (id) => mainIds.get(jsonOf(id))),
      this.normalize(merged, (id) => models.get(key ?? targets[0]).ids.get(jsonOf(id))),
      `${label}: the store under test answers what this scope's own calls alone answer`,
    );
  }

  /** The initiator of the run `run` names (the first user when it has none, or there is no run yet). */
  userOfRun(run, handles) {
    const h = handles.length > 0 ? handles[run.handle % handles.length] : null;
    return h?.user ?? this.ids.users[0];
  }

  remember(handles, mainIds, { id, user_id }, key) {
    if (mainIds.has(jsonOf(id))) return;
    const handle = handles.length;
    handles.push({ handle, key, id, user: user_id, modelId: undefined });
    mainIds.set(jsonOf(id), handle);
  }

  /** The command as a call of the store under test (`main`) and of a scope's model (`model`). */
  calls(command, scope, user, handles, key) {
    const ids = command.run ? this.runIds(command.run, handles, key) : null;
    switch (command.op) {
      case 'start': {
        const request = { workspace_id: scope.workspace_id, tenant_id: scope.tenant_id, type: command.type };
        if (user !== null) request.user_id = user;
        const identity = IDENTITIES[command.identity];
        if (identity !== undefined) request.identity = identity;
        const call = (engine) => engine.startRun(request);
        return { main: call, model: call };
      }
      case 'update':
        return { main: (e) => e.updateRun(scope, ids.main, UPDATES[command.update]), model: (e) => e.updateRun(scope, ids.model, UPDATES[command.update]) };
      case 'get':
        return { main: (e) => e.getRun(scope, ids.main), model: (e) => e.getRun(scope, ids.model) };
      case 'listRuns':
        return { main: (e) => e.listRuns(scope, command.filter), model: (e) => e.listRuns(scope, command.filter) };
      case 'listNotifications':
        return { main: (e) => e.listNotifications(scope, user, command.filter), model: (e) => e.listNotifications(scope, user, command.filter) };
      case 'markRead':
        return {
          main: (e) => e.markNotificationRead(scope, user, notificationId(ids.main, command.of ?? user)),
          model: (e) => e.markNotificationRead(scope, user, notificationId(ids.model, command.of ?? user)),
        };
      case 'reconcile': {
        const options = { ...(scope && { scope }), ...(command.limit !== null && { limit: command.limit }) };
        return { main: (e) => e.reconcile(options), model: (e) => e.reconcile(options) };
      }
      default:
        throw new Error(`unknown command ${command.op}`);
    }
  }

  /** Every record a call shows belongs to its scope and user, and a notification's id is the one derived from its run and user. */
  checkOwn(command, scope, user, got, label) {
    if ('error' in got) return;
    const v = got.value;
    const own = { scope, what: label };
    const note = (n) => {
      checkNotification(n, { scope, userId: user, what: label });
      assert.equal(n.id, notificationId(n.data.run_id, n.notifiable_id), `${label}: the notification id derives from run and user`);
    };
    if (command.op === 'start') checkStartResult(v, own);
    else if (command.op === 'update') {
      checkUpdateResult(v, own);
      v.notifications.forEach((n) => assert.equal(n.id, notificationId(n.data.run_id, n.notifiable_id)));
    } else if (command.op === 'get') checkRun(v, own);
    else if (command.op === 'listRuns') v.forEach((r) => checkRun(r, own));
    else if (command.op === 'listNotifications') v.forEach(note);
    else if (command.op === 'markRead') note(v);
  }

  /** Commits a completion straight through the store, without its notification (a crashed or non-atomic writer). */
  async gap(main, models, handles, command) {
    if (handles.length === 0) return;
    const h = handles[command.run.handle % handles.length];
    const model = models.get(h.key);
    const [workspace_id, tenant_id] = JSON.parse(h.key);
    const complete = async (store, id) => {
      const run = await store.getRun({ workspace_id, tenant_id }, id);
      if (!run || run.status === 'completed') return false;
      const at = new Date(this.now).toISOString();
      const next = { ...run, status: 'completed', outcome: 'failed', completed_at: at, updated_at: at, version: run.version + 1 };
      return store.commitRun({ run: next, expected_version: run.version, notifications: [] });
    };
    assert.equal(await complete(main.store, h.id), await complete(model.ref, h.modelId), 'a direct commit lands under test exactly when in the model');
  }

  /** Answers with ids replaced by the handle of the run they name (unknown ids stay visible as such). */
  normalize(answer, handleOf) {
    if ('error' in answer) return { error: answer.error?.code ?? describe(answer) };
    const name = (id) => {
      const h = handleOf(id);
      return h === undefined ? `unknown id ${jsonOf(id)}` : `run #${h}`;
    };
    const walk = (v) => {
      if (Array.isArray(v)) return v.map(walk);
      if (v === null || typeof v !== 'object') return v;
      const out = {};
      for (const [k, x] of Object.entries(v)) {
        if (k === 'run_id' && x !== null) out[k] = name(x);
        else if (k === 'id' && 'dedup_key' in v) out[k] = name(x);
        else if (k === 'id' && v.type === 'OperationRunCompleted') out[k] = `notification of ${name(v.data.run_id)} for ${jsonOf(v.notifiable_id)}`;
        else out[k] = walk(x);
      }
      return out;
    };
    return { value: walk(answer.value) };
  }

  /** After the program: each scope lists exactly its model's runs and notifications, and the store holds nothing else. */
  async compareFinalStates(main, models, handles, mainIds) {
    let runs = 0;
    let notifications = 0;
    for (const [key, model] of models) {
      const [workspace_id, tenant_id] = JSON.parse(key);
      const scope = { workspace_id, tenant_id };
      const both = async (call) => [await outcome(() => call(main.engine)), await outcome(() => call(model.engine))];
      const [got, want] = await both((e) => e.listRuns(scope, { limit: 1000 }));
      assert.deepEqual(this.normalize(got, (id) => mainIds.get(jsonOf(id))), this.normalize(want, (id) => model.ids.get(jsonOf(id))), `the runs of ${key}`);
      runs += want.value.length;
      for (const user of this.ids.users) {
        const [gotN, wantN] = await both((e) => e.listNotifications(scope, user, { limit: 1000 }));
        assert.deepEqual(this.normalize(gotN, (id) => mainIds.get(jsonOf(id))), this.normalize(wantN, (id) => model.ids.get(jsonOf(id))), `the notifications of ${jsonOf(user)} in ${key}`);
        notifications += wantN.value.length;
      }
    }
    const stored = await main.rows();
    if (stored) {
      assert.equal(stored.runs, runs, 'the store holds no run outside the scopes the program wrote to');
      assert.equal(stored.notifications, notifications, 'the store holds no notification outside its scope and user');
    }
  }
}

/** `{value}` or `{error}` of `call()`, whether it throws or rejects. */
async function outcome(call) {
  try {
    return { value: await call() };
  } catch (error) {
    return { error };
  }
}

function describe(got) {
  return 'error' in got ? `${got.error?.code ?? ''} ${got.error?.message ?? String(got.error)}` : `a result ${jsonOf(got.value).slice(0, 200)}`;
}

/** Reconcile of every scope, from the models' answers: the counts add up, a refusal wins. */
function sumReconciled(answers) {
  const refused = answers.find((a) => 'error' in a);
  if (refused) return refused;
  return { value: answers.reduce((sum, a) => ({ checked: sum.checked + a.value.checked, repaired: sum.repaired + a.value.repaired }), { checked: 0, repaired: 0 }) };
}
