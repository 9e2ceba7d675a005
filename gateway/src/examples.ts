/**
 * One explorer tab: an operation and its variables (JSON text). The explorer's tabs are the
 * public contract's operations, generated into contract-tabs.ts by scripts/contract-tabs.mjs.
 */
export interface ExampleTab {
  query: string;
  variables?: string;
}
