import { tracingConfigured } from '@/lib/observability/tracing-config';

/**
 * OpenTelemetry, registered the way Vercel expects (@vercel/otel from instrumentation.ts), and off
 * unless configured (see tracingConfigured). Without it nothing is registered and the spans in
 * lib/observability/tracing.ts are no-ops. Exporter protocol, headers and sampling follow the
 * standard OTEL_* variables, which @vercel/otel reads itself.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    // An open API (no MCP_API_KEYS) and invalid settings are reported at start, not at the first request.
    const { reportGuardConfig } = await import('@/lib/guard/guard-request');
    const { reportDefaultedSettings } = await import('@/lib/observability/config-report');
    reportGuardConfig();
    reportDefaultedSettings();
  }
  if (!tracingConfigured()) return;
  const { registerOTel } = await import('@vercel/otel');
  registerOTel({ serviceName: process.env.OTEL_SERVICE_NAME || 'market-pulse' });
}
