import { scalarResolvers } from '@rcsc/service-kit';
import { Mutation } from './Mutation';
import { Organization } from './Organization';
import { Query } from './Query';
import { Term } from './Term';

export const resolvers = { ...scalarResolvers, Query, Mutation, Organization, Term };
