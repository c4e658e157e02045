import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Transporter } from 'nodemailer';
import { MAIL_QUEUE, type MailJob } from './mail.service.ts';

/**
 * Delivers queued mails: over SMTP when SMTP_URL is set, else into the dev mailbox (the mail stays readable by
 * admins at GET /api/v1/admin/mailbox). A failed send throws, and the queue retries with exponential backoff; a
 * mail already marked sent is never sent again, whatever the number of attempts or processes.
 */
export const mailPlugin = fp(
  async (app: FastifyInstance) => {
    // A mail held by a node that died is retried by another after two minutes (pg-boss's default is 15).
    await app.boss.createQueue(MAIL_QUEUE, { expireInSeconds: 120 });
    if (!app.workers) return;
    const prisma = app.db.prisma;
    // nodemailer loads only when mail goes out over SMTP.
    const transport: Transporter | null = app.env.SMTP_URL
      ? (await import('nodemailer')).default.createTransport(app.env.SMTP_URL, { from: app.env.MAIL_FROM })
      : null;
    app.addHook('onClose', async () => transport?.close());

    await app.boss.work<MailJob>(MAIL_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async (jobs) => {
      for (const job of jobs) {
        const mail = await prisma.mailMessage.findUnique({ where: { id: job.data.mailId } });
        if (!mail || mail.status === 'sent') continue;
        try {
          if (transport) {
            await transport.sendMail({
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
    });
  },
  { name: 'covey-mail', dependencies: ['covey-jobs'] },
);
