import type { Transporter } from 'nodemailer';
import { queueJob, type ModuleJobs } from '../../plugins/jobs.ts';
import { MAIL_QUEUE, type MailJob } from './mail.service.ts';

/**
 * Delivers queued mails: over SMTP when SMTP_URL is set, else into the dev mailbox (the mail stays readable by
 * admins at GET /api/v1/admin/mailbox). A failed send throws, and the queue retries with exponential backoff; a
 * mail already marked sent is never sent again, whatever the number of attempts or processes.
 */
export const mailJobs: ModuleJobs = (app) => {
  const prisma = app.db.prisma;
  // nodemailer loads only when mail goes out over SMTP, at the first mail.
  let transport: Promise<Transporter | null> | undefined;
  const transportOf = () =>
    (transport ??= app.env.SMTP_URL
      ? import('nodemailer').then((m) => m.default.createTransport(app.env.SMTP_URL, { from: app.env.MAIL_FROM }))
      : Promise.resolve(null));

  return [
    queueJob<MailJob>({
      name: MAIL_QUEUE,
      // A mail held by a node that died is retried by another after two minutes (pg-boss's default is 15).
      queueOptions: { expireInSeconds: 120 },
      options: { batchSize: 1, pollingIntervalSeconds: 1 },
      close: async () => (await transport)?.close(),
      handler: async (jobs) => {
        for (const job of jobs) {
          const mail = await prisma.mailMessage.findUnique({ where: { id: job.data.mailId } });
          if (!mail || mail.status === 'sent') continue;
          try {
            const smtp = await transportOf();
            if (smtp) {
              await smtp.sendMail({
                from: app.env.MAIL_FROM,
                to: mail.to,
                subject: mail.subject,
                text: mail.text,
                html: mail.html,
                messageId: `<${mail.id}@covey>`,
              });
            }
            await prisma.mailMessage.update({
              where: { id: mail.id },
              data: { status: 'sent', sentAt: new Date(), attempts: { increment: 1 }, lastError: null },
            });
          } catch (error) {
            const last = job.retryCount >= app.env.MAIL_RETRY_LIMIT;
            await prisma.mailMessage.update({
              where: { id: mail.id },
              data: { attempts: { increment: 1 }, lastError: String((error as Error).message).slice(0, 500), status: last ? 'failed' : 'queued' },
            });
            app.log.warn({ mailId: mail.id, attempt: job.retryCount + 1, err: error }, 'mail delivery failed; will retry');
            throw error;
          }
        }
      },
    }),
  ];
};
