/** Contract §1 and §2: the numeric ranges of the stream and snapshot parameters. */
export const LIMITS = {
  interval: { min: 1000, max: 300_000, default: 10_000 },
  /** The maximum is the server's STREAM_MAX_DURATION_MS. */
  duration: { min: 1000, default: 60_000 },
  limit: { min: 1, max: 50, default: 10 },
} as const;
