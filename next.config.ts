import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Lets test harnesses and benchmarks build side by side without clobbering each other's output.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  // The build type-checks only what ships; tests, e2e and benchmarks are checked by `tsc --noEmit`
  // over the whole tree in `npm test`, so a half-written test cannot break a deployment.
  typescript: { tsconfigPath: 'tsconfig.build.json' },
  reactStrictMode: true,
  // rss-parser pulls in xml2js/sax; keep them as plain Node requires rather than bundling.
  serverExternalPackages: ['rss-parser', 'ioredis'],
};

export default nextConfig;
