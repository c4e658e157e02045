/** The one authorization door (see access.ts and rules.ts); predicates.ts and policy.ts are internal to policy/. */
export * from './access.ts';
export * from './rules.ts';
export * from './scopes.ts';
export { communityPolicy } from './community-policy.ts';
