import { SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { appName, appVersion } from '@/lib/config/settings';

/**
 * Spans for feed fetches and stream lifetimes. With no SDK registered (instrumentation.ts only
 * registers one when an exporter is configured) the API hands out no-op spans at next to no cost.
 */
function tracer() {
  return trace.getTracer(appName, appVersion);
}

/** Runs `work` inside a span named `name`; the span records a thrown error and always ends. */
export async function inSpan<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** A span the caller ends itself: for a stream, which outlives the request handler's own span. */
export function startSpan(name: string, attributes: Attributes): Span {
  return tracer().startSpan(name, { attributes });
}

export function markSpanError(span: Span, message: string): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}
