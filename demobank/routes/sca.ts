/**
 * The SCA redirect pages: login (username, password, one-time code), account selection, then a
 * 303 back to the TPP's redirect URI exactly as the TPP gave it; cancel and rejection go to the
 * nok URI. Special usernames fail the way Klarna's test bank does.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Bank } from '../bank.js';
import { isoDate } from '../clock.js';
import type { Consent } from '../consents.js';
import { accountsPage, loginPage, messagePage } from '../pages.js';

/** Wrong logins before the bank gives up on the authorisation and rejects the consent. */
const MAX_FAILED_LOGINS = 3;
const SESSION_COOKIE = 'demobank_sca';

type Form = Record<string, string | string[] | undefined>;

export async function scaRoutes(app: FastifyInstance, { bank }: { bank: Bank }) {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    const form: Form = {};
    for (const [name, value] of new URLSearchParams(body as string)) {
      const seen = form[name];
      form[name] = seen === undefined ? value : [...[seen].flat(), value];
    }
    done(null, form);
  });

  app.get('/sca/:consentId', async (request, reply) => {
    const consent = openConsent(bank, request, reply);
    if (!consent) return reply;
    return html(reply, 200, loginPage(loginView(consent)));
  });

  app.post('/sca/:consentId/login', async (request, reply) => {
    const consent = openConsent(bank, request, reply);
    if (!consent) return reply;
    const form = request.body as Form;
    if (form.action === 'cancel') return reject(consent, reply);
    const username = text(form.username);
    const user = bank.users.find((candidate) => candidate.username === username);
    if (user?.behaviour === 'maintenance')
      return html(reply, 503, messagePage({
        title: 'Down for maintenance',
        message: 'Demo Bank is down for scheduled maintenance. Please try again later.',
        back: { cancelAction: `/sca/${consent.id}/login` },
      }));
    if (user?.behaviour === 'technicalError') {
      consent.status = 'rejected';
      return html(reply, 500, messagePage({
        title: 'Technical error',
        message: 'Something went wrong at Demo Bank. Your authorisation could not be completed.',
        back: { href: consent.nokRedirectUri },
      }));
    }
    if (user?.behaviour === 'slow') await sleep(bank.slowLoginMs);
    const right = user && user.behaviour !== 'wrongCredentials' && text(form.password) === user.password && text(form.otp) === user.otp;
    if (!right) {
      consent.failedLogins++;
      if (consent.failedLogins >= MAX_FAILED_LOGINS) return reject(consent, reply);
      const left = MAX_FAILED_LOGINS - consent.failedLogins;
      return html(reply, 200, loginPage({
        ...loginView(consent),
        username,
        error: `The username, password or one-time code is wrong. ${left} ${left === 1 ? 'attempt' : 'attempts'} left.`,
      }));
    }
    const session = bank.consents.offer(consent, user);
    return reply
      .header('Set-Cookie', `${SESSION_COOKIE}=${session}; Path=/sca/${consent.id}; HttpOnly; SameSite=Lax`)
      .redirect(`/sca/${consent.id}/accounts`, 303);
  });

  app.get('/sca/:consentId/accounts', async (request, reply) => {
    const consent = loggedIn(bank, request, reply);
    if (!consent) return reply;
    return html(reply, 200, accountsPage(accountsView(consent)));
  });

  app.post('/sca/:consentId/accounts', async (request, reply) => {
    const consent = loggedIn(bank, request, reply);
    if (!consent) return reply;
    const form = request.body as Form;
    if (form.action === 'cancel') return reject(consent, reply);
    const chosen = [form.accounts ?? []].flat().filter((id) => consent.offered.some((offer) => offer.resourceId === id));
    if (chosen.length === 0) return html(reply, 200, accountsPage({ ...accountsView(consent), error: 'Choose at least one account.' }));
    bank.consents.authorise(consent, chosen);
    return reply.redirect(consent.redirectUri, 303);
  });
}

function html(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(page);
}

function text(value: string | string[] | undefined): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** The consent of the page, if it still awaits authorisation; else the page says why not. */
function openConsent(bank: Bank, request: FastifyRequest, reply: FastifyReply): Consent | undefined {
  const consent = bank.consents.get((request.params as { consentId: string }).consentId);
  if (!consent) html(reply, 404, messagePage({ title: 'Unknown request', message: 'Demo Bank does not know this authorisation request.' }));
  else if (consent.status !== 'received')
    html(reply, 409, messagePage({ title: 'Request closed', message: `This authorisation request is no longer open (consent ${consent.status}).` }));
  else return consent;
  return undefined;
}

/** The consent of the page, if this browser logged in for it. */
function loggedIn(bank: Bank, request: FastifyRequest, reply: FastifyReply): Consent | undefined {
  const consent = openConsent(bank, request, reply);
  if (!consent) return undefined;
  const cookie = request.headers.cookie?.split(/;\s*/).find((pair) => pair.startsWith(`${SESSION_COOKIE}=`));
  if (consent.scaSession && cookie === `${SESSION_COOKIE}=${consent.scaSession}`) return consent;
  // No login in this browser (or an old one): back to the login page.
  void reply.redirect(`/sca/${consent.id}`, 303);
  return undefined;
}

function reject(consent: Consent, reply: FastifyReply): FastifyReply {
  consent.status = 'rejected';
  return reply.redirect(consent.nokRedirectUri, 303);
}

function loginView(consent: Consent) {
  return {
    consentId: consent.id,
    tppHost: new URL(consent.redirectUri).host,
    validUntil: isoDate(consent.validUntilDay),
    frequencyPerDay: consent.request.frequencyPerDay,
  };
}

function accountsView(consent: Consent) {
  return {
    consentId: consent.id,
    tppHost: new URL(consent.redirectUri).host,
    ownerName: consent.user?.name ?? '',
    accounts: consent.offered.map(({ resourceId, account }) => ({ resourceId, name: account.name, iban: account.iban, currency: account.currency })),
  };
}
