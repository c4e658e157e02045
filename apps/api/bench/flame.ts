/**
 * Reading a V8 CPU profile (`node --cpu-prof`): the top frames as text (self and total time per function, time per
 * package) and a flame graph as a standalone SVG (stacks merged by frame, root at the bottom, width = time).
 */
type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
export type CpuProfile = {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
};

/** A frame's label: function name and where it is (package, or file:line for Covey's bundle and node's own). */
export function frameLabel(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  return `${name} ${where(frame)}`;
}

function where(frame: CallFrame) {
  const pkg = packageOf(frame.url);
  return pkg === 'covey' || pkg === 'node' ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : pkg;
}

const shortUrl = (url: string) => url.replace(/^.*\/apps\/api\//, '').replace(/^file:\/\//, '');

/** Which package a script belongs to: an npm package, node's internals, or Covey's own code. */
export function packageOf(url: string): string {
  if (!url) return '(vm)';
  if (url.startsWith('node:')) return 'node';
  const m = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  return 'covey';
}

/**
 * The samples taken between two instants of the monotonic clock (microseconds, as `process.hrtime` gives them:
 * V8 stamps its samples with the same clock), without the idle ones: what the process did while under load.
 */
export function busyBetween(profile: CpuProfile, fromUs: number, toUs: number): CpuProfile {
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at < fromUs || at > toUs || idle.has(id)) return;
    samples.push(id);
    timeDeltas.push(profile.timeDeltas[i] ?? 0);
  });
  return { ...profile, samples, timeDeltas, startTime: fromUs, endTime: toUs };
}

type Merged = { label: string; pkg: string; self: number; total: number; children: Map<string, Merged> };

/** Self time per profile node, in microseconds. */
function selfTimes(profile: CpuProfile): Map<number, number> {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  return self;
}

/** The call tree merged by frame label (the same function called from the same stack is one box). */
export function mergedTree(profile: CpuProfile): Merged {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = selfTimes(profile);
  const build = (node: ProfileNode, into: Merged) => {
    into.self += self.get(node.id) ?? 0;
    for (const childId of node.children ?? []) {
      const child = byId.get(childId)!;
      const label = frameLabel(child.callFrame);
      let merged = into.children.get(label);
      if (!merged) {
        merged = { label, pkg: packageOf(child.callFrame.url), self: 0, total: 0, children: new Map() };
        into.children.set(label, merged);
      }
      build(child, merged);
    }
  };
  const root: Merged = { label: 'all', pkg: '', self: 0, total: 0, children: new Map() };
  build(profile.nodes[0]!, root);
  const sum = (m: Merged): number => (m.total = m.self + [...m.children.values()].reduce((t, c) => t + sum(c), 0));
  sum(root);
  return root;
}

/** The top frames: self time and total time (each function counted once per stack) per function, and per package. */
export function summary(profile: CpuProfile, top = 25): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = selfTimes(profile);
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const selfBy = new Map<string, number>();
  const totalBy = new Map<string, number>();
  const pkgBy = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const label = frameLabel(node.callFrame);
    selfBy.set(label, (selfBy.get(label) ?? 0) + us);
    pkgBy.set(packageOf(node.callFrame.url), (pkgBy.get(packageOf(node.callFrame.url)) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const l = frameLabel(byId.get(at)!.callFrame);
      if (seen.has(l)) continue;
      seen.add(l);
      totalBy.set(l, (totalBy.get(l) ?? 0) + us);
    }
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
  const list = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([label, us]) => `  ${pct(us)}  ${label}`)
      .join('\n');
  return [
    `${(total / 1e6).toFixed(2)} s in the busy samples`,
    'self time by package:',
    list(pkgBy, 12),
    `self time, top ${top} functions:`,
    list(selfBy, top),
    `total time, top ${top} functions:`,
    list(
      new Map([...totalBy].filter(([label]) => !/^\((root|program|idle)\)/.test(label) && label !== '(anonymous)')),
      top,
    ),
  ].join('\n');
}

const colors: Record<string, string> = { covey: '#e07a5f', node: '#81b29a', '(vm)': '#bbbbbb' };
const pkgColor = (pkg: string) => {
  if (colors[pkg]) return colors[pkg];
  let h = 0;
  for (const c of pkg) h = (h * 31 + c.charCodeAt(0)) % 360;
  return `hsl(${h},60%,70%)`;
};
const escapeXml = (s: string) =>
  s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

/** A flame graph: one box per merged frame, colored by package; boxes under 0.1% of the time are left out. */
export function flameSvg(profile: CpuProfile, title: string): string {
  const root = mergedTree(profile);
  const width = 1600;
  const rowHeight = 16;
  const boxes: string[] = [];
  let depthMax = 0;
  const draw = (m: Merged, x: number, depth: number) => {
    const w = (m.total / root.total) * width;
    if (w < width / 1000) return;
    depthMax = Math.max(depthMax, depth);
    const chars = Math.floor(w / 6.5);
    const text = chars > 3 ? escapeXml(m.label.length > chars ? `${m.label.slice(0, chars - 1)}…` : m.label) : '';
    const tip = `${escapeXml(m.label)} (${m.pkg}): ${((100 * m.total) / root.total).toFixed(2)}% total, ${((100 * m.self) / root.total).toFixed(2)}% self`;
    boxes.push(
      `<g transform="translate(${x.toFixed(1)},${depth})"><title>${tip}</title><rect width="${Math.max(0.5, w - 0.5).toFixed(1)}" height="${rowHeight - 1}" fill="${pkgColor(m.pkg)}"/><text x="2" y="12">${text}</text></g>`,
    );
    let cx = x;
    for (const child of [...m.children.values()].sort((a, b) => a.label.localeCompare(b.label))) {
      draw(child, cx, depth + 1);
      cx += (child.total / root.total) * width;
    }
  };
  draw(root, 0, 0);
  const height = (depthMax + 3) * rowHeight;
  // Depth is flipped at the end: the root at the bottom.
  const body = boxes.map((b) =>
    b.replace(
      /translate\(([\d.]+),(\d+)\)/,
      (_, x: string, d: string) => `translate(${x},${height - (Number(d) + 2) * rowHeight})`,
    ),
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="monospace" font-size="11">
<rect width="100%" height="100%" fill="#fff"/><text x="4" y="13" font-size="13">${escapeXml(title)}</text>
${body.join('\n')}
</svg>
`;
}
