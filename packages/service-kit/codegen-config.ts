import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Every subgraph's codegen.ts: typed resolvers from the service's schema plus the shared types
 * readSchema() appends, with GraphQL types mapped to the stored documents they resolve from
 * (`mappers`, relative to src/generated). Loaded by graphql-codegen before anything is built.
 */
export function subgraphCodegen(mappers: Record<string, string>): CodegenConfig {
  return {
    schema: ['src/schema.graphql', '../../packages/service-kit/src/shared.graphql'],
    generates: {
      'src/generated/graphql.ts': {
        plugins: ['typescript', 'typescript-resolvers'],
        config: {
          federation: true,
          useTypeImports: true,
          enumsAsTypes: true,
          contextType: '../context#Context',
          scalars: { Date: 'Date', DateTime: 'Date' },
          mappers: { AuditEntry: '@rcsc/service-kit#AuditEntryDoc', AuditConnection: '@rcsc/service-kit#AuditPage', ...mappers },
        },
      },
    },
  };
}
