/** Mail templates: each renders a subject, a plain-text body and an HTML body (every value escaped). */
import { escapeHtml } from '../../lib/html.ts';
import { markdownToText } from '../posts/markdown.ts';

export type RenderedMail = { subject: string; text: string; html: string };

function layout(title: string, paragraphs: string[], action?: { label: string; url: string }): string {
  const body = paragraphs.map((p) => `<p style="margin:0 0 12px">${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('');
  const button = action
    ? `<p><a href="${escapeHtml(action.url)}" style="display:inline-block;background:#1f4e79;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(action.label)}</a></p>`
    : '';
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1b1b1b;max-width:560px;margin:auto;padding:24px"><h1 style="font-size:20px">${escapeHtml(title)}</h1>${body}${button}<p style="color:#666;font-size:12px;margin-top:32px">Covey · you can change your e-mail preferences in your profile.</p></body></html>`;
}

function text(title: string, paragraphs: string[], action?: { label: string; url: string }) {
  return [title, '', ...paragraphs.flatMap((p) => [p, '']), ...(action ? [`${action.label}: ${action.url}`, ''] : []), '-- ', 'Covey'].join('\n');
}

function mail(subject: string, title: string, paragraphs: string[], action?: { label: string; url: string }): RenderedMail {
  return { subject, text: text(title, paragraphs, action), html: layout(title, paragraphs, action) };
}

export const templates = {
  groupPost: (d: { recipient: string; actor: string; group: string; excerpt: string; url: string }) =>
    mail(`${d.actor} posted in ${d.group}`, `New post in ${d.group}`, [`Hello ${d.recipient},`, `${d.actor} wrote:`, d.excerpt], {
      label: 'Open the group',
      url: d.url,
    }),
  groupComment: (d: { recipient: string; actor: string; group: string; excerpt: string; url: string }) =>
    mail(`${d.actor} commented in ${d.group}`, `New comment in ${d.group}`, [`Hello ${d.recipient},`, `${d.actor} wrote:`, d.excerpt], {
      label: 'Open the conversation',
      url: d.url,
    }),
  programComment: (d: { recipient: string; actor: string; program: string; excerpt: string; url: string }) =>
    mail(`${d.actor} commented on ${d.program}`, `New comment on ${d.program}`, [`Hello ${d.recipient},`, `${d.actor} wrote:`, d.excerpt], {
      label: 'Open the program',
      url: d.url,
    }),
  commentReply: (d: { recipient: string; actor: string; excerpt: string; url: string }) =>
    mail(`${d.actor} replied to your post`, 'New reply', [`Hello ${d.recipient},`, `${d.actor} replied:`, d.excerpt], {
      label: 'Read the reply',
      url: d.url,
    }),
  reminder: (d: { recipient: string; sender: string; group: string; program: string | null; message: string; url: string }) =>
    mail(
      d.program ? `A reminder about ${d.program}` : `A reminder from ${d.sender}`,
      d.program ? `About ${d.program}` : `From your team in ${d.group}`,
      [`Hello ${d.recipient},`, `${d.sender} sent you a message:`, d.message],
      { label: d.program ? 'Continue the program' : 'Open Covey', url: d.url },
    ),
  notificationSummary: (d: { recipient: string; lines: string[]; url: string }) =>
    mail(`Your Covey activity: ${d.lines.length} new`, 'What happened today', [`Hello ${d.recipient},`, ...d.lines], {
      label: 'Open Covey',
      url: d.url,
    }),
  observerDigest: (d: { recipient: string; title: string; paragraphs: string[]; url: string }) =>
    mail(d.title, d.title, [`Hello ${d.recipient},`, ...d.paragraphs], { label: 'Open the dashboard', url: d.url }),
  invitation: (d: { recipient: string; inviter: string | null; url: string; expiresAt: Date }) =>
    mail(
      'You are invited to Covey',
      'Welcome to Covey',
      [
        `Hello ${d.recipient},`,
        `${d.inviter ?? 'Your organisation'} invited you to take part in your groups and their programs on Covey.`,
        `Choose your password to sign in. This link works once, until ${d.expiresAt.toUTCString()}.`,
      ],
      { label: 'Accept the invitation', url: d.url },
    ),
  passwordReset: (d: { recipient: string; url: string; minutes: number }) =>
    mail(
      'Reset your Covey password',
      'Choose a new password',
      [
        `Hello ${d.recipient},`,
        `Someone (we hope you) asked to reset your Covey password. This link works once, for ${d.minutes} minutes.`,
        'If it was not you, ignore this mail: your password stays as it is.',
      ],
      { label: 'Choose a new password', url: d.url },
    ),
  enrolled: (d: { recipient: string; program: string; url: string }) =>
    mail(`You are enrolled in ${d.program}`, `A program for you: ${d.program}`, [`Hello ${d.recipient},`, `You are now enrolled in ${d.program}.`], {
      label: 'Start the program',
      url: d.url,
    }),
};

/** Plain text cut to `max` characters (on a word boundary when one is near), with an ellipsis when cut. */
export const clip = (text: string, max = 280) => {
  const plain = text.replace(/\s+/g, ' ').trim();
  if (plain.length <= max) return plain;
  const cut = plain.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
};

/** A post's Markdown body as the plain-text excerpt notifications and mails show (punctuation kept). */
export const excerpt = (markdown: string, max = 280) => clip(markdownToText(markdown), max);
