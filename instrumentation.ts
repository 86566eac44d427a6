/**
 * OpenTelemetry, registered the way Vercel expects (@vercel/otel from instrumentation.ts), and off
 * unless configured: an OTLP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT / _TRACES_ENDPOINT, protocol per
 * OTEL_EXPORTER_OTLP_PROTOCOL) or a Vercel tracing integration (VERCEL_OTEL_ENDPOINTS).
 * Without one nothing is registered, so spans in lib/observability/tracing.ts are no-ops.
 */
export function tracingConfigured(vars: Record<string, string | undefined> = process.env): boolean {
  if (vars.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  return Boolean(vars.OTEL_EXPORTER_OTLP_ENDPOINT || vars.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || vars.VERCEL_OTEL_ENDPOINTS);
}

export async function register(): Promise<void> {
  if (!tracingConfigured()) return;
  const { registerOTel } = await import('@vercel/otel');
  registerOTel({ serviceName: process.env.OTEL_SERVICE_NAME || 'market-pulse' });
}
