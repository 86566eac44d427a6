import Link from 'next/link';

export default function Home() {
  return (
    <main className="mx-auto flex max-w-2xl flex-col gap-5 px-5 py-16 sm:py-24">
      <h1 className="text-3xl font-bold tracking-tight sm:text-4xl">Market Pulse</h1>
      <p className="text-lg text-slate-700 dark:text-slate-300">
        Live market news for any stock symbol. Pick a ticker, see the latest headlines, and start a live stream that
        brings new articles in as the feeds publish them, without duplicates.
      </p>
      <p className="text-slate-700 dark:text-slate-300">
        The same stream is available to scripts as Server-Sent Events at <code className="font-mono text-sm">/api/mcp/stream-news</code>{' '}
        and to AI agents as an MCP tool at <code className="font-mono text-sm">/api/mcp</code>.
      </p>
      <p>
        <Link
          href="/dashboard"
          className="inline-block rounded-md bg-blue-700 px-4 py-2 font-semibold text-white hover:bg-blue-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:bg-blue-500 dark:text-slate-950 dark:hover:bg-blue-400 dark:focus-visible:outline-blue-300"
        >
          Open the dashboard
        </Link>
      </p>
    </main>
  );
}
