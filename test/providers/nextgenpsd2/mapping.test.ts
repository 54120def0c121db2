import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isUnreadable, readConsentStatus, readTransaction } from '../../../providers/nextgenpsd2/mapping.js';

const booked = {
  transactionId: 'T-1',
  entryReference: 'E-1',
  endToEndId: 'NOTPROVIDED',
  bookingDate: '2026-11-20',
  valueDate: '2026-11-21',
  transactionAmount: { currency: 'EUR', amount: '-12.50' },
  creditorName: 'Café Müller',
  creditorAccount: { iban: 'DE89 3704 0044 0532 0130 00' },
  debtorName: 'Me',
  remittanceInformationUnstructured: 'Invoice\u0000 117\n',
  bankTransactionCode: 'PMNT-ICDT-ESCT',
};

describe('readTransaction (NextGenPSD2)', () => {
  test('maps a booked debit: counterparty is the creditor, key is entryReference, placeholders dropped', () => {
    expect(readTransaction(booked, 'booked', '2026-11-22')).toEqual({
      providerKey: 'E-1',
      bookingDate: '2026-11-20',
      valueDate: '2026-11-21',
      amount: '-12.5',
      currency: 'EUR',
      counterpartyName: 'Café Müller',
      counterpartyIban: 'DE89370400440532013000',
      remittanceInformation: 'Invoice 117',
      endToEndId: undefined,
      bankTransactionCode: 'PMNT-ICDT-ESCT',
    });
  });

  test('a credit names the debtor; entryReference "0" falls back to transactionId', () => {
    const entry = readTransaction({ ...booked, entryReference: '0', transactionAmount: { currency: 'EUR', amount: '100' } }, 'booked', '2026-11-22');
    expect(entry).toMatchObject({ providerKey: 'T-1', counterpartyName: 'Me', counterpartyIban: undefined });
  });

  test('a direct debit carries its mandate; a placeholder mandate is none', () => {
    expect(readTransaction({ ...booked, mandateId: ' MNDT-77 ' }, 'booked', '2026-11-22')).toMatchObject({ mandateId: 'MNDT-77' });
    expect(readTransaction({ ...booked, mandateId: 'NOTPROVIDED' }, 'booked', '2026-11-22')).toMatchObject({ mandateId: undefined });
  });

  test('pending entries without a booking date take the value date, else today', () => {
    expect(readTransaction({ ...booked, bookingDate: undefined }, 'pending', '2026-11-22')).toMatchObject({ bookingDate: '2026-11-21' });
    expect(readTransaction({ ...booked, bookingDate: undefined, valueDate: undefined }, 'pending', '2026-11-22')).toMatchObject({ bookingDate: '2026-11-22' });
  });

  test.each([
    [{ transactionAmount: { currency: 'EUR', amount: '12,50' } }, 'transactionAmount.amount is not a decimal amount'],
    [{ transactionAmount: { currency: 'EUR', amount: 12.5 } }, 'transactionAmount.amount is not a decimal amount'],
    [{ transactionAmount: { currency: 'euro', amount: '1' } }, 'transactionAmount.currency is not an ISO 4217 code'],
    [{ bookingDate: '2026-02-30' }, 'bookingDate is not a date'],
    [{ bookingDate: undefined }, 'a booked entry has no bookingDate'],
    [{ valueDate: 'tomorrow' }, 'valueDate is not a date'],
  ])('unreadable: %j', (change, reason) => {
    const entry = readTransaction({ ...booked, ...change } as never, 'booked', '2026-11-22');
    expect(isUnreadable(entry) && entry.reason).toBe(reason);
  });

  test('texts come out tidy: control characters and runs of white space (tabs, no-break spaces) become one space, ends trimmed', () => {
    const tidy = (value: string) => value.replace(/\p{Cc}/gu, ' ').replace(/\s+/g, ' ').trim() || undefined;
    const pieces = fc.constantFrom('a', 'Zahlung', 'Müller', ' ', '  ', '\t', '\n', '\u00a0', '\u2003', '\u0000', '\u0085', '\ufeff', '');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 8 }), (parts) => {
        const value = parts.join('');
        const entry = readTransaction({ ...booked, remittanceInformationUnstructured: value }, 'booked', '2026-11-22');
        expect(!isUnreadable(entry) && entry.remittanceInformation).toBe(tidy(value) ?? undefined);
      }),
      { numRuns: 2000 },
    );
  });

  test('consent statuses, including codes a bank made up', () => {
    expect(['received', 'partiallyAuthorised', 'valid', 'revokedByPsu', 'terminatedByTpp', 'somethingNew'].map(readConsentStatus))
      .toEqual(['received', 'received', 'valid', 'revoked', 'terminated', 'rejected']);
  });
});
