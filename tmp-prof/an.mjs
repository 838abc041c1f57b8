import fs from 'node:fs';
const f = fs.readdirSync('.').find((x) => x.endsWith('.cpuprofile'));
const p = JSON.parse(fs.readFileSync(f));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = p.timeDeltas; let total = 0;
const counts = new Map();
p.samples.forEach((id, i) => { counts.set(id, (counts.get(id) ?? 0) + (dt[i] ?? 0)); total += dt[i] ?? 0; });
// self time by package/file
const byFile = new Map(); const byFn = new Map();
for (const [id, t] of counts) {
  const n = byId.get(id); const u = n.callFrame.url || '(native)';
  const key = u.replace(/.*node_modules\//, 'nm:').replace(/.*\/work\/main\//, '').replace(/^file:\/\//,'');
  const pkg = key.startsWith('nm:') ? key.split('/').slice(0, key.startsWith('nm:@') ? 2 : 1).join('/') : key;
  byFile.set(pkg, (byFile.get(pkg) ?? 0) + t);
  const fn = `${n.callFrame.functionName || '(anon)'} ${key}:${n.callFrame.lineNumber}`;
  byFn.set(fn, (byFn.get(fn) ?? 0) + t);
}
const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([n, t]) => `${(t / total * 100).toFixed(1).padStart(5)}%  ${n}`).join('\n');
console.log('total ms', (total / 1000).toFixed(0));
console.log(top(byFile, 25)); console.log('---'); console.log(top(byFn, 30));
