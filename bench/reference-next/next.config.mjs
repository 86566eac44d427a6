/** Minimal Next.js reference: the same SSE schedule as the baseline, from a route handler. */
const nextConfig = {
  // run.mjs builds into bench/.tmp so nothing lands in the source tree.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
};

export default nextConfig;
