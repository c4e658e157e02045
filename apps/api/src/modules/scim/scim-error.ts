/** A SCIM protocol error (RFC 7644 section 3.12): answered as urn:ietf:params:scim:api:messages:2.0:Error. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

export class ScimError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly scimType?: ScimType,
  ) {
    super(message);
    this.name = 'ScimError';
  }
}

export const scimNotFound = (what: string, id: string) => new ScimError(404, `${what} ${id} not found.`);
