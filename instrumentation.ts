import { tracingConfigured } from '@/lib/observability/tracing-config';

/**
 * OpenTelemetry, registered the way Vercel expects (@vercel/otel from instrumentation.ts), and off
 * unless configured (see tracingConfigured). Without it nothing is registered and the spans in
 * lib/observability/tracing.ts are no-ops. Exporter protocol, headers and sampling follow the
 * standard OTEL_* variables, which @vercel/otel reads itself.
 */
export async function register(): Promise<void> {
  if (!tracingConfigured()) return;
  const { registerOTel } = await import('@vercel/otel');
  registerOTel({ serviceName: process.env.OTEL_SERVICE_NAME || 'market-pulse' });
}
