import { z } from 'zod';
import { accountFields, emailOut, freeText, int32, personName, text, timestamp } from './common.ts';

export const notifyEmailSchema = z.enum(['immediately', 'digest', 'never']);

export const meSchema = z
  .object({
    ...accountFields(),
    locale: z.string().max(35).describe('BCP 47 language tag, e.g. `en`'),
    notifyEmail: notifyEmailSchema,
    lastLoginAt: timestamp().nullable(),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof meSchema>;

export const loginBodySchema = z.object({
  email: text(320),
  password: freeText(1024).min(1),
});
export type LoginBody = z.infer<typeof loginBodySchema>;

export const sessionSchema = z
  .object({
    accessToken: z.string().max(4096).regex(/^[\w-]+\.[\w-]+\.[\w-]+$/).describe('A JWT (RFC 7519)'),
    refreshToken: z.string().max(512).regex(/^[\w-]+$/),
    expiresIn: int32(0, 86_400).describe('Access token lifetime in seconds'),
    user: meSchema,
  })
  .meta({ id: 'Session' });
export type Session = z.infer<typeof sessionSchema>;

export const refreshBodySchema = z.object({ refreshToken: z.string().min(1).max(512).regex(/^[\w-]+$/) });

export const patchMeBodySchema = z
  .object({
    firstName: text(100),
    lastName: text(100),
    locale: z.enum(['en', 'fr']),
    notifyEmail: notifyEmailSchema,
    password: freeText(256).min(10),
    currentPassword: freeText(1024).min(1),
  })
  .partial()
  .strict()
  .refine((b) => b.password === undefined || b.currentPassword !== undefined, {
    message: 'currentPassword is required to change the password',
    path: ['currentPassword'],
  })
  // The refinement, as the document says it.
  .meta({ dependentRequired: { password: ['currentPassword'] } });

/** A single sign-on provider offered on the sign-in page. */
export const ssoMethodSchema = z.object({
  name: z.string().max(60).describe('The button’s label'),
  startUrl: z.string().max(200).describe('Where the browser goes to start signing in'),
});

/** How people sign in to this workspace (public: the sign-in page reads it). */
export const signInMethodsSchema = z
  .object({
    password: z.boolean().describe('false when single sign-on only is on (the owner can still use a password)'),
    oidc: ssoMethodSchema.nullable(),
    saml: ssoMethodSchema.nullable(),
  })
  .meta({ id: 'SignInMethods' });
export type SignInMethods = z.infer<typeof signInMethodsSchema>;

/** A one-time link's token (from an invitation or a password reset mail). */
const linkToken = z.string().min(16).max(256).regex(/^[\w-]+$/);
export const linkTokenBodySchema = z.object({ token: linkToken }).strict();
export const linkCheckSchema = z
  .object({
    kind: z.enum(['invite', 'reset']),
    email: emailOut(),
    firstName: personName(),
    lastName: personName(),
  })
  .meta({ id: 'LinkCheck' });
export type LinkCheck = z.infer<typeof linkCheckSchema>;
export const setPasswordBodySchema = z.object({ token: linkToken, password: freeText(256).min(10) }).strict();
export type SetPasswordBody = z.infer<typeof setPasswordBodySchema>;
export const forgotPasswordBodySchema = z.object({ email: text(320) }).strict();
/** A one-time link just sent to someone. */
export const linkSentSchema = z
  .object({ sentTo: emailOut(), expiresAt: timestamp() })
  .meta({ id: 'LinkSent' });
export type LinkSent = z.infer<typeof linkSentSchema>;

/** An opaque protocol value: printable ASCII, no spaces. */
const protocolToken = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[\x21-\x7e]+$/);

export const oidcStartQuerySchema = z.object({
  redirectTo: z.string().max(2048).optional().describe('A path of this site to open after signing in (anything else: /)'),
});
/** What the OpenID provider sends back to the callback (RFC 6749 section 4.1.2, RFC 9207 `iss`). */
export const oidcCallbackQuerySchema = z.object({
  code: protocolToken(4096).optional(),
  state: protocolToken(512).optional(),
  iss: z.url().max(2000).optional(),
  session_state: z
    .string()
    .max(1000)
    .regex(/^[\x20-\x7e]*$/)
    .optional(),
  error: z
    .string()
    .max(200)
    .regex(/^[\x20-\x7e]*$/)
    .optional(),
  // Free text (Entra ID's carries line breaks); only ever logged, never shown.
  error_description: z.string().max(4000).optional(),
  error_uri: z.url().max(2000).optional(),
});

export const samlStartQuerySchema = z.object({
  redirectTo: z.string().max(2048).optional().describe('A path of this site to open after signing in'),
});
/** A SAMLResponse: the base64 of an XML document, which signatures and certificates make large. */
export const MAX_SAML_RESPONSE = 256 * 1024;
/** What the identity provider's page posts to the assertion consumer (HTTP-POST binding). */
export const samlAssertionBodySchema = z.object({
  SAMLResponse: z.string().min(1).max(MAX_SAML_RESPONSE).describe('The base64 of the SAML Response'),
  RelayState: z.string().max(1024).optional().describe('Unused: where to go afterwards is kept with the request'),
});
