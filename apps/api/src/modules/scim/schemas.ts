/** SCIM schema URNs and the discovery documents (RFC 7643 sections 5-8, RFC 7644 section 4). */
export const URN = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterprise: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  list: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patch: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  spc: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

export const MAX_RESULTS = 1000;

type Attribute = {
  name: string;
  type: 'string' | 'boolean' | 'complex' | 'reference' | 'dateTime';
  multiValued?: boolean;
  required?: boolean;
  caseExact?: boolean;
  mutability?: 'readOnly' | 'readWrite' | 'immutable';
  returned?: 'always' | 'default';
  uniqueness?: 'none' | 'server';
  referenceTypes?: string[];
  canonicalValues?: string[];
  subAttributes?: Attribute[];
};

/** Fills in RFC 7643 section 2.2 defaults so every attribute definition is complete. */
const attr = (a: Attribute): Record<string, unknown> => ({
  name: a.name,
  type: a.type,
  multiValued: a.multiValued ?? false,
  description: '',
  required: a.required ?? false,
  caseExact: a.caseExact ?? false,
  mutability: a.mutability ?? 'readWrite',
  returned: a.returned ?? 'default',
  uniqueness: a.uniqueness ?? 'none',
  ...(a.referenceTypes ? { referenceTypes: a.referenceTypes } : {}),
  ...(a.canonicalValues ? { canonicalValues: a.canonicalValues } : {}),
  ...(a.subAttributes ? { subAttributes: a.subAttributes.map(attr) } : {}),
});

const str = (name: string, extra: Partial<Attribute> = {}): Attribute => ({ name, type: 'string', ...extra });

const schemaDefinitions = [
  {
    id: URN.user,
    name: 'User',
    description:
      'A Covey user. userName is the sign-in name the directory knows (unique, case-insensitive, need not be an ' +
      'e-mail address); emails are the person’s addresses, at most one primary, and the primary one (else the work ' +
      'one, else the first) is where Covey writes. A user needs one: emails, or a userName that is an e-mail address.',
    attributes: [
      str('userName', { required: true, uniqueness: 'server', caseExact: false }),
      {
        name: 'name',
        type: 'complex',
        subAttributes: [str('formatted', { mutability: 'readOnly' }), str('givenName'), str('familyName')],
      },
      str('displayName', { mutability: 'readOnly' }),
      str('title'),
      { name: 'active', type: 'boolean' },
      {
        name: 'emails',
        type: 'complex',
        multiValued: true,
        subAttributes: [
          str('value'),
          str('type', { canonicalValues: ['work', 'home', 'other'] }),
          { name: 'primary', type: 'boolean' },
        ],
      },
      {
        name: 'addresses',
        type: 'complex',
        multiValued: true,
        subAttributes: [
          str('country'),
          str('type', { canonicalValues: ['work'] }),
          { name: 'primary', type: 'boolean' },
        ],
      },
    ] satisfies Attribute[],
  },
  {
    id: URN.group,
    name: 'Group',
    description: 'A Covey group; its members are the group’s learners.',
    attributes: [
      str('displayName', { required: true }),
      {
        name: 'members',
        type: 'complex',
        multiValued: true,
        subAttributes: [
          str('value', { mutability: 'immutable', caseExact: true }),
          { name: '$ref', type: 'reference', mutability: 'immutable', referenceTypes: ['User'] },
          str('display', { mutability: 'readOnly' }),
          str('type', { mutability: 'immutable', canonicalValues: ['User'] }),
        ],
      },
    ] satisfies Attribute[],
  },
  {
    id: URN.enterprise,
    name: 'EnterpriseUser',
    description:
      'Enterprise User; department, employee number, cost center, organization, division and manager feed membership rules.',
    attributes: [
      str('employeeNumber'),
      str('costCenter'),
      str('organization'),
      str('division'),
      str('department'),
      {
        name: 'manager',
        type: 'complex',
        subAttributes: [
          str('value', { caseExact: true }),
          { name: '$ref', type: 'reference', referenceTypes: ['User'] },
          str('displayName', { mutability: 'readOnly' }),
        ],
      },
    ] satisfies Attribute[],
  },
];

export function schemasDocument(base: string) {
  return schemaDefinitions.map((s) => ({
    schemas: [URN.schema],
    id: s.id,
    name: s.name,
    description: s.description,
    attributes: s.attributes.map(attr),
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${s.id}` },
  }));
}

export function resourceTypesDocument(base: string) {
  return [
    {
      schemas: [URN.resourceType],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'Covey users',
      schema: URN.user,
      schemaExtensions: [{ schema: URN.enterprise, required: false }],
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
    },
    {
      schemas: [URN.resourceType],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'Covey groups (members are learners)',
      schema: URN.group,
      schemaExtensions: [],
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/Group` },
    },
  ];
}

export function serviceProviderConfig(base: string) {
  return {
    schemas: [URN.spc],
    documentationUri: 'https://covey.dev/docs/integrations#scim',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'SCIM bearer token',
        description: 'A SCIM token created by a workspace admin (POST /api/v1/integrations/scim-tokens).',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  };
}

/**
 * What a PATCH may name (lower-cased): each attribute with its sub-attributes (null when it has none), and which
 * are read-only. Users know every attribute of RFC 7643 section 4.1, not only those Covey keeps: identity providers
 * send their default mappings (phone numbers, locale...) and those are accepted and left aside, while a path that
 * is no attribute at all is an invalidPath.
 */
export type PatchSchema = {
  attributes: Record<string, readonly string[] | null>;
  readOnly: readonly string[];
  /** Extension URN (as written in URN) -> its attributes. */
  extensions: Record<string, Record<string, readonly string[] | null>>;
};

const plural = ['value', 'display', 'type', 'primary', '$ref'] as const;
const common = {
  schemas: null,
  id: null,
  externalid: null,
  meta: ['resourcetype', 'created', 'lastmodified', 'location', 'version'],
} as const;

export const USER_PATCH_SCHEMA: PatchSchema = {
  attributes: {
    ...common,
    username: null,
    name: ['formatted', 'familyname', 'givenname', 'middlename', 'honorificprefix', 'honorificsuffix'],
    displayname: null,
    nickname: null,
    profileurl: null,
    title: null,
    usertype: null,
    preferredlanguage: null,
    locale: null,
    timezone: null,
    active: null,
    password: null,
    emails: plural,
    phonenumbers: plural,
    ims: plural,
    photos: plural,
    addresses: ['formatted', 'streetaddress', 'locality', 'region', 'postalcode', 'country', 'type', 'primary'],
    groups: plural,
    entitlements: plural,
    roles: plural,
    x509certificates: plural,
  },
  readOnly: ['id', 'meta', 'groups'],
  extensions: {
    [URN.enterprise]: {
      employeenumber: null,
      costcenter: null,
      organization: null,
      division: null,
      department: null,
      manager: ['value', '$ref', 'displayname'],
    },
  },
};

export const GROUP_PATCH_SCHEMA: PatchSchema = {
  attributes: { ...common, displayname: null, members: plural },
  readOnly: ['id', 'meta'],
  extensions: {},
};
