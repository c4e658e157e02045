export * from './common.ts';
export * from './auth.ts';
export * from './users.ts';
export * from './groups.ts';
export * from './programs.ts';
export * from './community.ts';
export * from './stats.ts';
export * from './integrations.ts';
