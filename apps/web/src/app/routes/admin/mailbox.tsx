import { MailboxPage } from '@/features/integrations/components/mailbox-page';

export { MailboxPage as Component };
