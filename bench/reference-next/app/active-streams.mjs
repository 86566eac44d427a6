// One count per process even if route bundles each load their own copy of this module.
const key = Symbol.for('bench.reference-next.active-streams');
globalThis[key] ??= { count: 0 };

export const activeStreams = globalThis[key];
