// The operation limits live in service-kit: the gateway and every subgraph apply them (issue 17).
export { analysisCache, analyze, DEFAULT_LIMITS, limitsPlugin, type Analysis, type Limits } from '@rcsc/service-kit';
