import { describe, expect, test } from 'vitest';
import { usableProviderKey } from '../../domain/provider-key.js';
import { contentKey, FingerprintCounter, type TransactionContent } from '../../transactions/identity.js';

describe('usableProviderKey', () => {
  test('takes the first usable candidate, trimmed', () => {
    expect(usableProviderKey(' E-123 ', 'T-9')).toBe('E-123');
    expect(usableProviderKey(undefined, null, 'T-9')).toBe('T-9');
  });
  test.each(['', '   ', '0', '000', 'NONREF', 'notprovided', 'N/A', 'null', '-'])('skips the placeholder %j', (placeholder) => {
    expect(usableProviderKey(placeholder, 'T-9')).toBe('T-9');
    expect(usableProviderKey(placeholder)).toBeUndefined();
  });
});

const payment: TransactionContent = {
  bookingDate: '2026-11-20',
  amount: '-12.5',
  currency: 'EUR',
  counterpartyName: 'Café Müller GmbH',
  counterpartyIban: 'DE89370400440532013000',
  remittanceInformation: 'Invoice 2026-117, thank you',
};

describe('fingerprints', () => {
  test('are the same whatever the spacing, case, accents or line wrapping of the texts', () => {
    const fromFile = { ...payment, counterpartyName: 'CAFE MUELLER GMBH'.replace('UE', 'U'), remittanceInformation: 'INVOICE 2026-117,\nTHANK YOU', amount: '-12.50' };
    expect(contentKey(fromFile)).toBe(contentKey(payment));
  });

  test('differ by date, amount, sign, currency, counterparty or text', () => {
    for (const change of [
      { bookingDate: '2026-11-21' }, { amount: '-12.51' }, { amount: '12.5' }, { currency: 'DKK' },
      { counterpartyName: 'Bäckerei Schmidt' }, { remittanceInformation: 'Invoice 2026-118' },
    ]) {
      expect(contentKey({ ...payment, ...change }), JSON.stringify(change)).not.toBe(contentKey(payment));
    }
  });

  test('fall back to the counterparty IBAN when there is no name', () => {
    const byIban = { ...payment, counterpartyName: undefined };
    expect(contentKey(byIban)).toContain('de89370400440532013000');
  });

  test('non-Latin texts still tell entries apart', () => {
    expect(contentKey({ ...payment, remittanceInformation: 'Счёт 1' })).not.toBe(contentKey({ ...payment, remittanceInformation: 'Счёт 2' }));
    expect(contentKey({ ...payment, remittanceInformation: '請求書 1' })).not.toBe(contentKey({ ...payment, remittanceInformation: '請求書 2' }));
  });

  test('genuine identical payments of a day get distinct fingerprints, reproducibly', () => {
    const first = new FingerprintCounter();
    const a = [first.fingerprint(payment), first.fingerprint(payment), first.fingerprint({ ...payment, amount: '-1' })];
    expect(new Set(a).size).toBe(3);
    const again = new FingerprintCounter();
    expect([again.fingerprint(payment), again.fingerprint(payment), again.fingerprint({ ...payment, amount: '-1' })]).toEqual(a);
  });

  test('amounts finer than the currency allows still fingerprint exactly', () => {
    expect(contentKey({ ...payment, amount: '-12.505' })).not.toBe(contentKey({ ...payment, amount: '-12.5' }));
  });
});
