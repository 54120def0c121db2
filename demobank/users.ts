/**
 * The Demo Bank's customers: test users who log in on the SCA pages, and their accounts.
 * Every user's password and one-time code is 12345, as in Klarna's demo bank. Special usernames
 * (modelled on Klarna's test bank) make the login fail in a particular way.
 */
import { makeIban } from './iban.js';

export type Currency = 'EUR' | 'DKK' | 'SEK';

/** Personal accounts see salary, rent, card payments; business accounts customer and supplier payments; savings transfers and interest. */
export type AccountProfile = 'personal' | 'business' | 'savings';

export interface DemoAccount {
  /** Stable internal name; the API shows a per-consent resourceId instead. */
  key: string;
  iban: string;
  currency: Currency;
  bic: string;
  name: string;
  product: string;
  ownerName: string;
  profile: AccountProfile;
  /** About how many transactions the account has over the bank's history window. */
  historyTransactions: number;
  /** The balance on the day the account's history starts, in minor units. */
  openingBalanceMinor: number;
}

/** What a special username does at login instead of logging in. */
export type LoginBehaviour = 'normal' | 'wrongCredentials' | 'technicalError' | 'maintenance' | 'slow';

export interface DemoUser {
  username: string;
  password: string;
  otp: string;
  name: string;
  behaviour: LoginBehaviour;
  accounts: DemoAccount[];
}

export const TEST_PASSWORD = '12345';
export const TEST_OTP = '12345';

const BIC: Record<Currency, string> = { EUR: 'DEMODEB2XXX', DKK: 'DEMODKKKXXX', SEK: 'DEMOSESSXXX' };

/** The account's IBAN in the Demo Bank's branch of its currency's country. */
function demoIban(currency: Currency, accountNumber: string): string {
  if (currency === 'EUR') return makeIban('DE', `99990000${accountNumber.padStart(10, '0')}`);
  if (currency === 'DKK') return makeIban('DK', `9999${accountNumber.padStart(10, '0')}`);
  return makeIban('SE', `999${accountNumber.padStart(17, '0')}`);
}

type AccountSpec = Omit<DemoAccount, 'iban' | 'bic' | 'ownerName'> & { number: string };

function user(username: string, name: string, behaviour: LoginBehaviour, specs: AccountSpec[]): DemoUser {
  return {
    username,
    password: TEST_PASSWORD,
    otp: TEST_OTP,
    name,
    behaviour,
    accounts: specs.map(({ number, ...spec }) => ({ ...spec, iban: demoIban(spec.currency, number), bic: BIC[spec.currency], ownerName: name })),
  };
}

/**
 * The users, with `sizes` (IBAN → transactions in the history) overriding account sizes.
 * The `bulk` user's account exists for load: 100,000 transactions unless sized otherwise.
 */
export function demoUsers(sizes: Record<string, number> = {}): DemoUser[] {
  const users = [
    user('embedded', 'Mette Sørensen', 'normal', [
      { key: 'embedded-dkk', number: '4711000001', currency: 'DKK', name: 'Lønkonto', product: 'Personal current account', profile: 'personal', historyTransactions: 2200, openingBalanceMinor: 2_450_000 },
      { key: 'embedded-eur', number: '4711000002', currency: 'EUR', name: 'Euro account', product: 'Currency account', profile: 'personal', historyTransactions: 1500, openingBalanceMinor: 310_000 },
      { key: 'embedded-sek', number: '4711000003', currency: 'SEK', name: 'Sommarhus', product: 'Savings account', profile: 'savings', historyTransactions: 300, openingBalanceMinor: 5_600_000 },
    ]),
    user('anna', 'Anna Lindqvist', 'normal', [
      { key: 'anna-sek', number: '5200000011', currency: 'SEK', name: 'Privatkonto', product: 'Personal current account', profile: 'personal', historyTransactions: 1800, openingBalanceMinor: 1_875_000 },
    ]),
    user('jonas', 'Jonas Weiß', 'normal', [
      { key: 'jonas-giro', number: '1234567890', currency: 'EUR', name: 'Girokonto', product: 'Personal current account', profile: 'personal', historyTransactions: 2000, openingBalanceMinor: 420_000 },
      { key: 'jonas-tagesgeld', number: '1234567891', currency: 'EUR', name: 'Tagesgeld', product: 'Savings account', profile: 'savings', historyTransactions: 150, openingBalanceMinor: 1_500_000 },
    ]),
    user('firma', 'Nordlicht Handel ApS', 'normal', [
      { key: 'firma-dkk', number: '8800000001', currency: 'DKK', name: 'Erhvervskonto', product: 'Business current account', profile: 'business', historyTransactions: 11_000, openingBalanceMinor: 48_000_000 },
      { key: 'firma-eur', number: '8800000002', currency: 'EUR', name: 'EUR clearing', product: 'Business currency account', profile: 'business', historyTransactions: 3_000, openingBalanceMinor: 9_000_000 },
    ]),
    user('bulk', 'Bulk Testing GmbH', 'normal', [
      { key: 'bulk-eur', number: '9000000001', currency: 'EUR', name: 'Hauptkonto', product: 'Business current account', profile: 'business', historyTransactions: 100_000, openingBalanceMinor: 250_000_000 },
    ]),
    user('slow', 'Sam Slow', 'slow', [
      { key: 'slow-eur', number: '7000000001', currency: 'EUR', name: 'Girokonto', product: 'Personal current account', profile: 'personal', historyTransactions: 1600, openingBalanceMinor: 250_000 },
    ]),
    user('wrong', 'Wendy Wrong', 'wrongCredentials', []),
    user('technical', 'Theo Technical', 'technicalError', []),
    user('maintenance', 'Mia Maintenance', 'maintenance', []),
  ];
  // A second person of the same company, with access to its accounts: two people of one company
  // may each link the same company account (two consents, one account).
  const firma = users.find((u) => u.username === 'firma')!;
  users.push({ ...firma, username: 'kasper', name: 'Kasper Holm' });
  for (const account of users.flatMap((u) => u.accounts)) {
    const size = sizes[account.iban];
    if (size !== undefined) account.historyTransactions = size;
  }
  return users;
}
