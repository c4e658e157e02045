import { describe, expect, it } from 'vitest';
import { ssoProviders, ssoStartHref } from './identity';

const oidc = { name: 'Acme ID', startUrl: '/api/v1/auth/oidc/start' };
const saml = { name: 'SAML', startUrl: '/api/v1/auth/saml/start' };

describe('ssoStartHref', () => {
  it('tells the provider start where to come back to, encoded', () => {
    expect(ssoStartHref(oidc, '/groups/g1?tab=2')).toBe('/api/v1/auth/oidc/start?redirectTo=%2Fgroups%2Fg1%3Ftab%3D2');
  });

  it('adds to a start URL that already has a query', () => {
    expect(ssoStartHref({ ...oidc, startUrl: '/start?x=1' }, '/')).toBe('/start?x=1&redirectTo=%2F');
  });
});

describe('ssoProviders', () => {
  it('lists the configured providers, OpenID Connect first', () => {
    expect(ssoProviders({ password: true, oidc, saml })).toEqual([oidc, saml]);
    expect(ssoProviders({ password: true, oidc: null, saml })).toEqual([saml]);
    expect(ssoProviders({ password: true, oidc: null, saml: null })).toEqual([]);
    expect(ssoProviders(undefined)).toEqual([]);
  });
});
