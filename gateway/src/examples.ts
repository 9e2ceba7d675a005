/**
 * Ready-made operations for the explorer, one tab each: the public contract's operations
 * (../shared/contract), written against a division code so they run without looking up ids.
 */
export interface ExampleTab {
  query: string;
  variables?: string;
}

const vars = (v: Record<string, unknown>) => JSON.stringify(v, null, 2);

export const EXAMPLES: ExampleTab[] = [
  {
    query: `# A branch profile: tree, governance, current term (services/organizations)
query BranchProfile($divisionCode: String!) {
  organization(divisionCode: $divisionCode) {
    id name level divisionCode divisionType
    parent { id name level }
    children { id name level divisionType }
    governance { managementRationalized partyGroupEstablished supervisoryBoardEstablished }
    currentTerm { number congressDate dueDate overdue }
  }
}`,
    variables: vars({ divisionCode: '330000' }),
  },
  {
    query: `# Branches, filtered and paginated
query Branches($filter: OrganizationFilter, $first: Int, $after: String) {
  organizations(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id name level divisionCode }
  }
}`,
    variables: vars({ filter: { level: 'PROVINCIAL' }, first: 50 }),
  },
  {
    query: `# Grassroots units, Boai homes and coverage under a branch (services/grassroots)
query Grassroots($divisionCode: String!) {
  organization(divisionCode: $divisionCode) {
    name
    grassrootsUnits(filter: { type: SCHOOL }, first: 10) {
      totalCount
      nodes { id name type meetsFiveHas organization { id name } }
    }
    boaiHomes(first: 10) { totalCount nodes { id name demonstration } }
    boaiHomeCoverage {
      prefectureCities { total covered }
      countyCities { total covered }
    }
  }
}`,
    variables: vars({ divisionCode: '330000' }),
  },
  {
    query: `# Members, volunteers and service teams under a branch (services/people)
query People($divisionCode: String!) {
  organization(divisionCode: $divisionCode) {
    members(filter: { kind: YOUTH }, first: 10) { totalCount nodes { id name kind joinedOn status } }
    volunteers(first: 10) { totalCount nodes { id name stars serviceHours } }
    serviceTeams(first: 10) { totalCount nodes { id name specialty } }
  }
}`,
    variables: vars({ divisionCode: '330000' }),
  },
  {
    query: `# The instructor pool and training classes (services/training)
query Training($first: Int) {
  instructors(first: $first) { totalCount nodes { id name category topics organization { id name level } } }
  trainingClasses(first: $first) {
    totalCount
    nodes { id title category startsOn endsOn host { id name } instructors { id name } enrollmentCount }
  }
}`,
    variables: vars({ first: 20 }),
  },
  {
    query: `# Annex 1 (附件1) and annex 2 (附件2) for a branch's whole subtree (several subgraphs)
query Tables($divisionCode: String!, $asOf: Date!, $year: Int!) {
  organization(divisionCode: $divisionCode) {
    name
    survey(asOf: $asOf) {
      countiesRationalized prefecturesDueForTermChange countiesDueForTermChange
      prefecturesWithPartyGroup countiesWithPartyGroup
      prefecturesWithSupervisoryBoard countiesWithSupervisoryBoard
      grassrootsUnits groupMembers adultMembers youthMembers
      registeredVolunteers serviceOrganizations serviceHours
    }
    annualIncrease(year: $year) {
      countiesRationalized prefecturesCompletedTermChange countiesCompletedTermChange
      prefecturesWithPartyGroup countiesWithPartyGroup
      prefecturesWithSupervisoryBoard countiesWithSupervisoryBoard
      grassrootsUnits groupMembers adultMembers youthMembers
      registeredVolunteers serviceOrganizations serviceHours
    }
  }
}`,
    variables: vars({ divisionCode: '330000', asOf: '2021-06-30', year: 2021 }),
  },
];
