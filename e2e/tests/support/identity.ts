import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { apiAs } from './pages.ts';

type Mail = { to: string; subject: string; text: string; kind: string; createdAt: string };

/**
 * The newest one-time link (`/invite#token=…` or `/reset-password#token=…`) mailed to someone, read from the dev
 * mailbox as a workspace admin; returned as a path with its fragment, to open on the server under test.
 */
export async function linkFromMailbox(
  request: APIRequestContext,
  to: string,
  page: 'invite' | 'reset-password',
): Promise<string> {
  const admin = await apiAs(request, 'admin@demo.covey.test');
  let link: string | null = null;
  await expect
    .poll(async () => {
      const mails = (await admin.get(`/api/v1/admin/mailbox?to=${encodeURIComponent(to)}`)).items as Mail[];
      // Newest first: the latest link is the one that works (a new one revokes the previous).
      for (const mail of mails) {
        const match = new RegExp(`https?://\\S+/${page}#token=[\\w-]+`).exec(mail.text);
        if (match) return (link = match[0]);
      }
      return null;
    }, `a mail to ${to} with a /${page} link`)
    .not.toBeNull();
  const url = new URL(link!);
  return `${url.pathname}${url.hash}`;
}

/** How many mails with a /invite or /reset-password link someone received. */
export async function countLinks(request: APIRequestContext, to: string, page: 'invite' | 'reset-password') {
  const admin = await apiAs(request, 'admin@demo.covey.test');
  const mails = (await admin.get(`/api/v1/admin/mailbox?to=${encodeURIComponent(to)}`)).items as Mail[];
  return mails.filter((m) => m.text.includes(`/${page}#token=`)).length;
}

/** Fills the new password and its confirmation on an invitation or reset page, and sends them. */
export async function choosePassword(page: Page, password: string, confirmation = password): Promise<void> {
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('Confirm the new password').fill(confirmation);
  await page.getByRole('button', { name: 'Save and sign in' }).click();
}
