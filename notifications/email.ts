import nodemailer from 'nodemailer';
import type { NotificationEvent } from '../db/schema.js';

/** The notices that go out by e-mail (every notice goes to webhooks). */
export const EMAIL_EVENTS: readonly NotificationEvent[] = ['consent.expiring', 'consent.expired', 'connection.reauth_required'];

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends e-mail; `createMailer` builds one on SMTP, tests may build their own. */
export interface Mailer {
  send(message: EmailMessage): Promise<void>;
}

/** A mailer on `SMTP_URL` (smtp:// or smtps://, credentials in the URL), sending as `from`. */
export function createMailer(smtpUrl: string, from: string): Mailer & { close(): void } {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(message) {
      await transport.sendMail({ from, ...message });
    },
    close: () => transport.close(),
  };
}

export interface ReminderFacts {
  event: NotificationEvent;
  /** The bank's name, as the user knows it. */
  institution: string;
  daysLeft?: number;
  /** Where the user renews: a signed link that starts the renewal. */
  renewUrl: string;
}

/** The reminder e-mail for a notice: what happened, what to do, the link. Nothing else about the account. */
export function reminderEmail(to: string, facts: ReminderFacts): EmailMessage {
  const { institution, daysLeft, renewUrl } = facts;
  const [subject, sentence] = (() => {
    switch (facts.event) {
      case 'consent.expiring': {
        const when = daysLeft === 1 ? 'in 1 day' : `in ${daysLeft} days`;
        return [`Renew your ${institution} connection: access ends ${when}`, `Your bank access to ${institution} ends ${when}. Renew it to keep your bank transactions coming in.`];
      }
      case 'consent.expired':
        return [`Your ${institution} connection has expired`, `Your bank access to ${institution} has ended, so no new transactions are imported. Renew it to continue.`];
      default:
        return [`Your ${institution} connection needs you to log in again`, `${institution} no longer accepts the access you gave. Log in at the bank again to continue importing transactions.`];
    }
  })();
  const text = `${sentence}\n\nRenew: ${renewUrl}\n\nThe link is valid for 30 days. If you did not expect this e-mail, ignore it.\n`;
  const html =
    `<p>${escapeHtml(sentence)}</p>\n<p><a href="${escapeHtml(renewUrl)}">Renew the connection</a></p>\n` +
    '<p>The link is valid for 30 days. If you did not expect this e-mail, ignore it.</p>\n';
  return { to, subject, text, html };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
