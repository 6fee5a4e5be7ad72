import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function lives, short: a package name, or a path under the project. */
function place(url: string): string {
  if (url === '') return '(native)';
  const packagePath = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packagePath) return packagePath[1]!;
  if (url.startsWith('node:')) return url;
  const project = url.indexOf('/src/');
  return project >= 0 ? url.slice(project + 1) : path.basename(url);
}

/**
 * Self time of the `.cpuprofile` files in `directory` (V8's `--cpu-prof` output), by place (package or source
 * file) and by function: where the bot's CPU goes under load, for `npm run bench -- --profile`.
 */
export async function summarizeCpuProfiles(
  directory: string,
): Promise<{ byPlace: [string, number][]; byFunction: [string, number][]; totalMs: number }> {
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let totalMs = 0;
  for (const file of (await readdir(directory)).filter((name) => name.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(await readFile(path.join(directory, file), 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    profile.samples.forEach((id, index) => {
      const node = nodes.get(id);
      const ms = (profile.timeDeltas[index] ?? 0) / 1000;
      if (node === undefined) return;
      const where = place(node.callFrame.url);
      const name = node.callFrame.functionName || '(anonymous)';
      if (name === '(idle)') return;
      totalMs += ms;
      byPlace.set(where, (byPlace.get(where) ?? 0) + ms);
      const key = `${name} ${where}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
    });
  }
  const sorted = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]);
  return { byPlace: sorted(byPlace), byFunction: sorted(byFunction), totalMs };
}
