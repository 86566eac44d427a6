/**
 * Options of `npm run bench -- --scale`, with the full run's defaults and the smoke run's tiny ones.
 *
 *   --scale                 the scenarios below (all six unless --scenarios=)
 *   --smoke                 every scenario at tiny N and short holds, 1 repetition: a quick check
 *   --reps=K                repetitions, interleaved across servers (default 3; smoke 1)
 *   --scenarios=1,2,5       which scenarios
 *   --no-build              reuse existing builds
 *   --profile               the app writes a V8 CPU profile per server (bench/.tmp/profiles)
 *   --raised-rps=R          scenarios 2, 3 and 6 also run the app with NEWS_HOST_MAX_RPS=R, labelled
 *                           (default 250: above the 200/s that 1,001 feeds at a 5 s period ask for;
 *                           0 = only the default budget)
 *   1 guard on:     --n1=10000 --hold1=300 (s; streams last hold − 30 s) --interval1=20000 (ms)
 *                   --after1=60 (s after the last drop for RSS and live heap)
 *                   --drops1=3 (drops per repetition; the cleanup is their median)
 *                   --variants1=app,reference (a partial run of only these servers; `reference-hb`,
 *                   the route sending the app's heartbeats, runs only when named here)
 *   2 symbols:      --n2=1000 --symbols2=1000 --hold2=20
 *   3 watchlists:   --n3=1000 --pool3=500 --list3=10 --hold3=20
 *   4 MCP:          --n4=500 --hold4=20
 *   5 big feeds:    --streams5=200 --hold5=30 --items5=2000
 *   6 Redis:        --n6=5000 --symbols6=500 --hold6=20
 *
 * Scenario 1 holds the 5 minutes, about 89 minutes at 3 repetitions × 4 servers × 3 drops.
 * --hold1=120 is a shorter check, but not of memory: the app's median RSS over a 2-minute hold
 * still counts garbage V8 has not collected yet (docs/benchmarks.md, "scenario 1 held 5 minutes").
 */
import { QUIET_BEFORE_DROP_MS } from '../lib/server-process.mjs';

export function scaleOptions(argv) {
  const flag = (name) => argv.includes(`--${name}`);
  const option = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const list = (name) => option(name)?.split(',');
  const smoke = flag('smoke');
  const num = (name, full, tiny) => {
    const value = option(name);
    return value === undefined ? (smoke ? tiny : full) : Number(value);
  };
  const sec = (name, full, tiny) => num(name, full, tiny) * 1000;
  const scenarioOption = option('scenarios');
  // A profiled run is slower (the profiler samples the app): its figures are labelled partial too.
  const overridden = argv.filter((a) => /^--(n\d|hold\d|symbols\d|pool\d|list\d|streams\d|items\d|interval\d|after\d|drops\d|variants\d|scenarios|raised-rps)=/.test(a) || a === '--profile');

  const hold1 = sec('hold1', 300, 12);
  const config = {
    mode: `${smoke ? 'smoke' : 'full'}${overridden.length ? ' (partial)' : ''}`,
    smoke,
    partial: overridden.length > 0,
    overridden,
    reps: num('reps', 3, 1),
    scenarios: scenarioOption ? scenarioOption.split(',').map(Number) : [1, 2, 3, 4, 5, 6],
    reuseBuild: flag('no-build'),
    /** The app writes a V8 CPU profile per server to bench/.tmp/profiles (bench/profile-summary.mjs reads them). */
    profile: flag('profile'),
    raisedRps: num('raised-rps', 250, 250),
    /** Opens in flight at once, as in the default bench. */
    concurrency: 100,
    warmupStreams: smoke ? 5 : 20,
    settleMs: 1000,
    /** Between the heap probe's forced GC and a drop, so its tail is not charged to the cleanup (server-process.mjs, quietBeforeDrop). */
    quietBeforeDropMs: smoke ? 2000 : QUIET_BEFORE_DROP_MS,
    /** A due event not arrived this long after its tick counts as missing. */
    graceMs: 2000,
    s1: {
      n: num('n1', 10_000, 50),
      holdMs: hold1,
      // Streams end inside the hold (30 s before its end), so their final events are counted.
      durationMs: hold1 - Math.min(30_000, Math.round(hold1 * 0.3)),
      // Longer than the 15 s heartbeat: each interval has a silence the heartbeat fills. The smoke
      // run lowers STREAM_HEARTBEAT_MS to 1 s instead, so heartbeats show within its short hold.
      intervalMs: num('interval1', 20_000, 3000),
      heartbeatMs: smoke ? 1000 : undefined,
      afterDropMs: sec('after1', 60, 5),
      // Drops per repetition, each after its own reopen, heap probe and quiet wait: one server's
      // drop varies by up to a third from one to the next, so the cleanup is judged on their median.
      drops: num('drops1', 3, 1),
      variants: list('variants1'),
    },
    s2: { n: num('n2', 1000, 50), symbols: num('symbols2', 1000, 50), holdMs: sec('hold2', 20, 8), intervalMs: 5000 },
    s3: { n: num('n3', 1000, 50), pool: num('pool3', 500, 50), listSize: num('list3', 10, 10), holdMs: sec('hold3', 20, 8), intervalMs: 5000 },
    s4: { n: num('n4', 500, 20), holdMs: sec('hold4', 20, 8), intervalMs: 5000 },
    s5: { streams: num('streams5', 200, 20), holdMs: sec('hold5', 30, 10), items: num('items5', 2000, 2000), intervalMs: 5000, probeEveryMs: 10 },
    s6: { n: num('n6', 5000, 50), symbols: num('symbols6', 500, 20), holdMs: sec('hold6', 20, 8), intervalMs: 5000 },
  };
  return config;
}
