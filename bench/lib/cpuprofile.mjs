// Reads a V8 .cpuprofile (node --cpu-prof) and lists the functions with the most self time.
import { readFileSync } from 'node:fs';

/** Top `limit` functions by self time: {top: [{name, where, ms, share}], split: {wasm, gc, js} shares}. */
export function topSelfTime(file, limit = 20) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas;
  let total = 0;
  profile.samples.forEach((id, i) => {
    const ms = (dt[i] ?? 0) / 1000;
    total += ms;
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const where = url.startsWith('wasm://') ? 'wasm' : url ? `${url.split('/').pop()}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'}\u0000${where}`;
    self.set(key, (self.get(key) ?? 0) + ms);
  });
  const all = [...self].map(([key, ms]) => {
    const [name, where] = key.split('\u0000');
    return { name, where, ms, share: ms / total };
  });
  const share = (pick) => all.filter(pick).reduce((sum, f) => sum + f.share, 0);
  const wasm = share((f) => f.where === 'wasm');
  const gc = share((f) => f.name === '(garbage collector)');
  const idle = share((f) => f.name === '(idle)' || f.name === '(program)');
  return {
    top: all.sort((a, b) => b.ms - a.ms).slice(0, limit),
    split: { wasm, gc, idle, js: 1 - wasm - gc - idle },
  };
}
