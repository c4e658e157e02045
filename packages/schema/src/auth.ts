import { z } from 'zod';
import { idSchema, workspaceRoleSchema } from './common.ts';

export const notifyEmailSchema = z.enum(['immediately', 'digest', 'never']);

export const meSchema = z
  .object({
    id: idSchema,
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    role: workspaceRoleSchema,
    locale: z.string(),
    notifyEmail: notifyEmailSchema,
    lastLoginAt: z.string().nullable(),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof meSchema>;

export const loginBodySchema = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
});
export type LoginBody = z.infer<typeof loginBodySchema>;

export const sessionSchema = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    expiresIn: z.number().int().describe('Access token lifetime in seconds'),
    user: meSchema,
  })
  .meta({ id: 'Session' });
export type Session = z.infer<typeof sessionSchema>;

export const refreshBodySchema = z.object({ refreshToken: z.string().min(1).max(512) });

export const patchMeBodySchema = z
  .object({
    firstName: z.string().trim().min(1).max(100),
    lastName: z.string().trim().min(1).max(100),
    locale: z.enum(['en', 'fr']),
    notifyEmail: notifyEmailSchema,
    password: z.string().min(10).max(256),
    currentPassword: z.string().min(1).max(1024),
  })
  .partial()
  .strict()
  .refine((b) => b.password === undefined || b.currentPassword !== undefined, {
    message: 'currentPassword is required to change the password',
    path: ['currentPassword'],
  });
