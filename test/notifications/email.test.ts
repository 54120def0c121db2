import { afterAll, beforeAll, expect, test } from 'vitest';
import { createMailer, reminderEmail } from '../../notifications/email.js';
import { checkRenewToken, renewLink } from '../../notifications/renew-link.js';
import { generateEncryptionKey } from '../../secrets/encryption-keys.js';
import { Keyring } from '../../secrets/keyring.js';
import { startSmtpServer } from '../helpers/receivers.js';

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
const keyring = new Keyring([generateEncryptionKey('k1')]);
const connectionId = '5b0c3c1e-8f0a-4a43-9d55-3d1f4b8f2a10';

beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp?.close());

test('a reminder reaches the SMTP server: recipient, sender, subject, text and HTML with the renewal link', async () => {
  const mailer = createMailer(smtp.url, 'Bankfeed <reminders@ledger.example>');
  const link = renewLink(keyring, 'https://bankfeed.example', connectionId);
  await mailer.send(reminderEmail('anna@firma.example', { event: 'consent.expiring', institution: 'Nordbank', daysLeft: 7, renewUrl: link }));
  mailer.close();
  expect(smtp.received).toHaveLength(1);
  const [mail] = smtp.received;
  expect(mail!.to).toEqual(['anna@firma.example']);
  expect(mail!.from).toBe('reminders@ledger.example');
  expect(mail!.subject).toBe('Renew your Nordbank connection: access ends in 7 days');
  expect(mail!.raw).toContain('text/plain');
  expect(mail!.raw).toContain('text/html');
  // The link appears in both parts, whole.
  expect(mail!.raw.split(link).length - 1).toBe(2);
  const token = new URL(link).searchParams.get('token')!;
  expect(checkRenewToken(keyring, connectionId, token)).toBe('valid');
});

test('the wording per event; HTML is escaped', () => {
  const base = { institution: 'Bank <&> Co', renewUrl: 'https://x.example/r?token=a&b' };
  expect(reminderEmail('a@b.example', { ...base, event: 'consent.expiring', daysLeft: 1 }).subject).toBe('Renew your Bank <&> Co connection: access ends in 1 day');
  expect(reminderEmail('a@b.example', { ...base, event: 'consent.expired' }).subject).toBe('Your Bank <&> Co connection has expired');
  const reauth = reminderEmail('a@b.example', { ...base, event: 'connection.reauth_required' });
  expect(reauth.subject).toBe('Your Bank <&> Co connection needs you to log in again');
  expect(reauth.html).toContain('Bank &#60;&#38;&#62; Co');
  expect(reauth.html).toContain('href="https://x.example/r?token=a&#38;b"');
  expect(reauth.text).toContain('https://x.example/r?token=a&b');
});

test('renewal tokens: bound to their connection, unforgeable, expiring', () => {
  const token = (now?: number) => new URL(renewLink(keyring, 'http://x', connectionId, now)).searchParams.get('token')!;
  expect(checkRenewToken(keyring, '00000000-0000-4000-8000-000000000000', token())).toBe('invalid');
  expect(checkRenewToken(new Keyring([generateEncryptionKey('k1')]), connectionId, token())).toBe('invalid');
  expect(checkRenewToken(keyring, connectionId, 'junk')).toBe('invalid');
  expect(checkRenewToken(keyring, connectionId, token(Date.now() - 31 * 86_400_000))).toBe('expired');
});
