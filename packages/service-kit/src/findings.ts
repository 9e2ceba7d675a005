/** One implausible record or figure of a data-quality report: the shape every subgraph's rules answer in. */
export interface Finding {
  rule: string;
  recordType: string;
  recordId: string | null;
  organizationId: string;
  on: Date | null;
  message: string;
}

/** Findings per rule at most, in every data-quality report (the schemas say so). */
export const MAX_FINDINGS_PER_RULE = 200;
