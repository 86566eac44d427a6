// Preloaded into `next start` by the soak test (NODE_OPTIONS="--expose-gc --require ..."): SIGUSR2
// runs a full garbage collection, so the heap measured afterwards is the live heap, not however
// much garbage V8 happened to keep. Test-only; never shipped.
process.on('SIGUSR2', () => {
  if (typeof globalThis.gc === 'function') globalThis.gc();
});
