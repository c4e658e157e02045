import { MailboxPage } from '@/features/admin/components/mailbox-page';

export { MailboxPage as Component };
