/**
 * Message bodies of the Berlin Group NextGenPSD2 XS2A 1.3 account-information API (AIS), as
 * TypeBox schemas: the client checks what a bank sends against them, and a server speaking the
 * protocol validates what it receives. Only the parts bankfeed uses are spelled out; every
 * object admits the further fields banks add.
 *
 * Formats (amount patterns, dates) are deliberately not enforced on transactions: one bad entry
 * must not make a whole page unreadable, it is the importer's to record and report.
 */
import { Type, type Static } from 'typebox';

const Href = Type.Object({ href: Type.String() });
const Links = Type.Record(Type.String(), Href);

export const AccountReference = Type.Object({
  iban: Type.Optional(Type.String()),
  bban: Type.Optional(Type.String()),
  maskedPan: Type.Optional(Type.String()),
  currency: Type.Optional(Type.String()),
});
export type AccountReference = Static<typeof AccountReference>;

export const Amount = Type.Object({ currency: Type.String(), amount: Type.String() });
export type Amount = Static<typeof Amount>;

export const ConsentStatus = Type.Union([
  Type.Literal('received'),
  Type.Literal('rejected'),
  Type.Literal('valid'),
  Type.Literal('revokedByPsu'),
  Type.Literal('expired'),
  Type.Literal('terminatedByTpp'),
  Type.Literal('partiallyAuthorised'),
]);
export type ConsentStatus = Static<typeof ConsentStatus>;

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const ConsentAccess = Type.Object({
  accounts: Type.Optional(Type.Array(AccountReference)),
  balances: Type.Optional(Type.Array(AccountReference)),
  transactions: Type.Optional(Type.Array(AccountReference)),
  availableAccounts: Type.Optional(Type.Union([Type.Literal('allAccounts'), Type.Literal('allAccountsWithOwnerName')])),
  availableAccountsWithBalance: Type.Optional(Type.Union([Type.Literal('allAccounts'), Type.Literal('allAccountsWithOwnerName')])),
  allPsd2: Type.Optional(Type.Union([Type.Literal('allAccounts'), Type.Literal('allAccountsWithOwnerName')])),
});
export type ConsentAccess = Static<typeof ConsentAccess>;

export const ConsentRequest = Type.Object({
  access: ConsentAccess,
  recurringIndicator: Type.Boolean(),
  /** Inclusive; "9999-12-31" asks for the longest the bank grants. */
  validUntil: IsoDate,
  frequencyPerDay: Type.Integer({ minimum: 1 }),
  combinedServiceIndicator: Type.Boolean(),
});
export type ConsentRequest = Static<typeof ConsentRequest>;

export const ConsentCreated = Type.Object({
  consentStatus: ConsentStatus,
  consentId: Type.String({ minLength: 1 }),
  _links: Links,
});
export type ConsentCreated = Static<typeof ConsentCreated>;

export const ConsentInformation = Type.Object({
  access: ConsentAccess,
  recurringIndicator: Type.Boolean(),
  validUntil: IsoDate,
  frequencyPerDay: Type.Integer(),
  lastActionDate: IsoDate,
  consentStatus: ConsentStatus,
  _links: Type.Optional(Links),
});
export type ConsentInformation = Static<typeof ConsentInformation>;

export const ConsentStatusResponse = Type.Object({ consentStatus: ConsentStatus });

export const BalanceType = Type.Union([
  Type.Literal('closingBooked'),
  Type.Literal('expected'),
  Type.Literal('openingBooked'),
  Type.Literal('interimAvailable'),
  Type.Literal('interimBooked'),
  Type.Literal('forwardAvailable'),
  Type.Literal('nonInvoiced'),
]);

export const Balance = Type.Object({
  balanceAmount: Amount,
  balanceType: BalanceType,
  creditLimitIncluded: Type.Optional(Type.Boolean()),
  lastChangeDateTime: Type.Optional(Type.String()),
  referenceDate: Type.Optional(IsoDate),
});
export type Balance = Static<typeof Balance>;

export const AccountDetails = Type.Object({
  resourceId: Type.String({ minLength: 1 }),
  iban: Type.Optional(Type.String()),
  bban: Type.Optional(Type.String()),
  currency: Type.String(),
  name: Type.Optional(Type.String()),
  ownerName: Type.Optional(Type.String()),
  product: Type.Optional(Type.String()),
  cashAccountType: Type.Optional(Type.String()),
  status: Type.Optional(Type.String()),
  bic: Type.Optional(Type.String()),
  balances: Type.Optional(Type.Array(Balance)),
  _links: Type.Optional(Links),
});
export type AccountDetails = Static<typeof AccountDetails>;

export const AccountList = Type.Object({ accounts: Type.Array(AccountDetails) });

export const BalancesResponse = Type.Object({
  account: Type.Optional(AccountReference),
  balances: Type.Array(Balance),
});
export type BalancesResponse = Static<typeof BalancesResponse>;

export const Transaction = Type.Object({
  transactionId: Type.Optional(Type.String()),
  entryReference: Type.Optional(Type.String()),
  endToEndId: Type.Optional(Type.String()),
  mandateId: Type.Optional(Type.String()),
  bookingDate: Type.Optional(Type.String()),
  valueDate: Type.Optional(Type.String()),
  transactionAmount: Type.Object({ currency: Type.String(), amount: Type.String() }),
  creditorName: Type.Optional(Type.String()),
  creditorAccount: Type.Optional(AccountReference),
  debtorName: Type.Optional(Type.String()),
  debtorAccount: Type.Optional(AccountReference),
  remittanceInformationUnstructured: Type.Optional(Type.String()),
  bankTransactionCode: Type.Optional(Type.String()),
  proprietaryBankTransactionCode: Type.Optional(Type.String()),
});
export type Transaction = Static<typeof Transaction>;

export const BookingStatus = Type.Union([Type.Literal('booked'), Type.Literal('pending'), Type.Literal('both')]);
export type BookingStatus = Static<typeof BookingStatus>;

export const TransactionsResponse = Type.Object({
  account: Type.Optional(AccountReference),
  transactions: Type.Object({
    booked: Type.Optional(Type.Array(Transaction)),
    pending: Type.Optional(Type.Array(Transaction)),
    _links: Type.Optional(Links),
  }),
});
export type TransactionsResponse = Static<typeof TransactionsResponse>;

export const TppMessage = Type.Object({
  category: Type.String(),
  code: Type.String(),
  path: Type.Optional(Type.String()),
  text: Type.Optional(Type.String()),
});
export type TppMessage = Static<typeof TppMessage>;

export const ErrorResponse = Type.Object({ tppMessages: Type.Array(TppMessage) });
export type ErrorResponse = Static<typeof ErrorResponse>;
