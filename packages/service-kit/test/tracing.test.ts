import {
  currentTraceId,
  readGatewayConfig,
  readSubgraphConfig,
  startServerSpan,
  startTracing,
  tracingConfigured,
  tracingEnabled,
} from '../src';

const secret = { AUTH_JWT_SECRET: 'x'.repeat(32) };

describe('tracing configuration (issue 18)', () => {
  it('is off unless an OTLP endpoint is set, and costs nothing then', async () => {
    expect(tracingConfigured({})).toBe(false);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toBe(true);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' })).toBe(true);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' })).toBe(false);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
    expect(await startTracing('test', {})).toBeNull();
    expect(tracingEnabled()).toBe(false);
    expect(
      startServerSpan('test', 'POST', '/graphql', { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }),
    ).toBeNull();
    expect(currentTraceId()).toBeUndefined();
  });

  it('validates the OTEL_ variables at boot with the others', () => {
    const ok = { ...secret, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SERVICE_NAME: 'rcsc-gateway' };
    expect(readGatewayConfig(ok)).toMatchObject({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' });
    expect(readSubgraphConfig({ ...ok, OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer x,tenant=rcsc' })).toMatchObject({
      OTEL_SERVICE_NAME: 'rcsc-gateway',
    });
    expect(() => readGatewayConfig({ ...secret, OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(() => readSubgraphConfig({ ...secret, OTEL_EXPORTER_OTLP_HEADERS: 'no pairs here' })).toThrow(/OTEL_EXPORTER_OTLP_HEADERS/);
    expect(() => readSubgraphConfig({ ...secret, OTEL_SDK_DISABLED: 'yes' })).toThrow(/OTEL_SDK_DISABLED/);
  });
});
