/**
 * Whether OpenTelemetry should be registered: only when somewhere to send spans is configured —
 * an OTLP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT / _TRACES_ENDPOINT) or a Vercel tracing
 * integration (VERCEL_OTEL_ENDPOINTS) — and OTEL_SDK_DISABLED is not true.
 */
export function tracingConfigured(vars: Record<string, string | undefined> = process.env): boolean {
  if (vars.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  return Boolean(
    vars.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || vars.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || vars.VERCEL_OTEL_ENDPOINTS?.trim(),
  );
}
