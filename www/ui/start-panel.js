// The start panel: the fields that make two starts the same operation (workspace, tenant, identity), the
// initiator, and one start button per operation type. Under each button, the optimistic check — the
// engine's own pure planStart over the active runs last read — says before any store answers whether
// a start would be a duplicate.
import { OPERATIONS, TENANTS, USERS, WORKSPACES } from '../catalog.js';
import { SIMULATED_OUTCOMES } from '../simulation.js';
import { el, option } from './dom.js';

/**
 * `plan(request)` returns the engine's planStart verdict; `start(request)` starts the run.
 * Returns `{ update() }` to re-run the checks after the active runs changed.
 */
export function createStartPanel({ form, list, viewer, plan, start }) {
  form.workspace.append(...WORKSPACES.map((w) => option(w.id, w.name)));
  form.tenant.append(...TENANTS.map((t) => option(t.id, t.name)));
  form.initiator.append(...USERS.map((u) => option(u.id, u.name)), option('system', 'System (no user)'));
  form.initiator.value = String(viewer());
  form.simulate.append(...SIMULATED_OUTCOMES.map((o) => option(o.value, o.label)));

  /** The startRun request for `type` from the current fields. */
  function request(type) {
    const identity = form.identity.value.trim();
    const initiator = form.initiator.value;
    return {
      workspace_id: Number(form.workspace.value),
      tenant_id: form.tenant.value,
      user_id: initiator === 'system' ? null : Number(initiator),
      type,
      ...(identity ? { identity } : {}),
      context: { simulate: form.simulate.value },
    };
  }

  const cards = OPERATIONS.map((op) => {
    const li = el('li', 'operation');
    li.dataset.type = op.type;
    const icon = el('span', 'op-icon', op.glyph);
    icon.setAttribute('aria-hidden', 'true');
    const text = el('div', 'op-text');
    text.append(el('div', 'op-label', op.label), el('div', 'op-desc', op.description));
    const button = el('button', 'primary', 'Start');
    button.type = 'button';
    button.dataset.type = op.type;
    button.setAttribute('aria-label', `Start ${op.label}`);
    const hint = el('p', 'op-hint');
    hint.dataset.hintFor = op.type;
    hint.setAttribute('aria-live', 'polite');
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await start(request(op.type));
      } finally {
        button.disabled = false;
      }
    });
    li.append(icon, text, button, hint);
    return { op, li, button, hint };
  });
  list.replaceChildren(...cards.map((c) => c.li));

  function update() {
    for (const { op, li, button, hint } of cards) {
      let verdict;
      try {
        verdict = plan(request(op.type));
      } catch (e) {
        // e.g. an identity over the engine's size limit: say so before the user clicks.
        hint.textContent = e.message;
        hint.className = 'op-hint error';
        continue;
      }
      li.classList.toggle('duplicate', verdict.deduped);
      button.textContent = verdict.deduped ? 'Show run' : 'Start';
      hint.className = verdict.deduped ? 'op-hint duplicate' : 'op-hint';
      hint.textContent = verdict.deduped ? `Already queued — will show the existing run #${verdict.run.id}` : '';
    }
  }
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  update();
  return { update };
}
