/** What the figures were measured on, recorded beside them. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { readFileSync } from 'node:fs';

function nextVersion(repoRoot) {
  try {
    return JSON.parse(readFileSync(`${repoRoot}/node_modules/next/package.json`, 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

function gitCommit(repoRoot) {
  try {
    const commit = execFileSync('git', ['-C', repoRoot, 'rev-parse', '--short', 'HEAD']).toString().trim();
    const dirty = execFileSync('git', ['-C', repoRoot, 'status', '--porcelain', '--untracked-files=no']).toString().trim() !== '';
    return dirty ? `${commit} (uncommitted changes)` : commit;
  } catch {
    return 'unknown';
  }
}

export function machineInfo(repoRoot) {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    next: nextVersion(repoRoot),
    commit: gitCommit(repoRoot),
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** When a run began and ended, and the machine it ran on (with the load at its end): every results file starts with this. */
export function runRecord(started, machine) {
  const finished = new Date();
  return {
    date: started.toISOString().slice(0, 10),
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMinutes: Math.round(((finished - started) / 60_000) * 10) / 10,
    machine: { ...machine, loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) },
  };
}
