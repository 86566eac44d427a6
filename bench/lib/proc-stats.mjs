/** Memory and CPU of a server process tree, read from /proc (Linux only), no agent in the server. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
const PAGE_SIZE = Number(execFileSync('getconf', ['PAGESIZE']).toString().trim()) || 4096;

function statFields(pid) {
  // Fields after the command name, which may itself contain spaces or parentheses.
  const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return raw.slice(raw.lastIndexOf(')') + 2).split(' ');
}

/** The pid and all its descendants (next start may spawn workers; none are missed). */
export function processTree(rootPid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(statFields(entry)[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // process exited while listing
    }
  }
  const tree = [rootPid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

/** Resident set size of the tree in bytes. */
export function rssBytes(rootPid) {
  let total = 0;
  for (const pid of processTree(rootPid)) {
    try {
      total += Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_SIZE;
    } catch {
      // exited
    }
  }
  return total;
}

/** User + system CPU seconds consumed so far by the tree. */
export function cpuSeconds(rootPid) {
  let ticks = 0;
  for (const pid of processTree(rootPid)) {
    try {
      const fields = statFields(pid);
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // exited
    }
  }
  return ticks / CLK_TCK;
}

/** Samples RSS every `everyMs` until stopped; returns the samples in bytes. */
export function sampleRss(rootPid, everyMs = 250) {
  const samples = [rssBytes(rootPid)];
  const timer = setInterval(() => samples.push(rssBytes(rootPid)), everyMs);
  return () => {
    clearInterval(timer);
    samples.push(rssBytes(rootPid));
    return samples;
  };
}
