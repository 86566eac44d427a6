import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Lets test harnesses and benchmarks build side by side without clobbering each other's output.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  reactStrictMode: true,
  // rss-parser pulls in xml2js/sax; keep them as plain Node requires rather than bundling.
  serverExternalPackages: ['rss-parser', 'ioredis'],
};

export default nextConfig;
