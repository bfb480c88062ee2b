import { readFileSync } from 'node:fs';

// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by package, and inclusive time of
// the heaviest frames. Usage: node -r @swc-node/register bench/profile-summary.ts FILE [TOP]

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
  hitCount?: number;
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topRaw] = process.argv.slice(2);
if (!file) {
  console.error('usage: profile-summary.ts FILE [TOP]');
  process.exit(2);
}
const top = Number(topRaw ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Self time per node from the samples and their time deltas (µs).
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

const where = (n: Node) => {
  const url = n.callFrame.url;
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.startsWith('node:')) return url;
  if (url.includes('dist/apps/ingester')) return 'ingester bundle';
  return url ? url.replace(/^.*\//, '') : `(${n.callFrame.functionName || 'native'})`;
};
const label = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${where(n)}:${n.callFrame.lineNumber + 1}`;

const add = (map: Map<string, number>, key: string, v: number) => map.set(key, (map.get(key) ?? 0) + v);
const selfByFn = new Map<string, number>();
const selfByPkg = new Map<string, number>();
const inclusive = new Map<string, number>();
for (const [id, t] of self) {
  const n = byId.get(id)!;
  add(selfByFn, label(n), t);
  add(selfByPkg, where(n), t);
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const key = label(byId.get(cur)!);
    if (!seen.has(key)) add(inclusive, key, t);
    seen.add(key);
  }
}
const print = (title: string, map: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((v / total) * 100).toFixed(1).padStart(6)}%  ${k}`);
};
console.log(`${(total / 1e6).toFixed(1)} s sampled`);
print('self time by package/file', selfByPkg);
print('self time by function', selfByFn);
print('inclusive time by function', inclusive);
