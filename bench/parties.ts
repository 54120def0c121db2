/**
 * A ledger's party register for the import bench: the Demo Bank's counterparties as a ledger
 * registers them, and as many other customers and suppliers as make `count`, with names and IBANs
 * like real ones (so the similar-name lookup meets near misses, not gibberish).
 */
import { ibanOf } from '../domain/iban.js';
import type { DemoParty } from '../test/helpers/demobank.js';

const PLACES = ['Nord', 'Syd', 'Vest', 'Øster', 'Fjord', 'Bjerg', 'Skov', 'Strand', 'Havne', 'Sol', 'Rhein', 'Elbe', 'Alster', 'Main', 'Göta', 'Mälar', 'Oslo', 'Tampere', 'Jylland', 'Fyn'];
const TRADES = ['Tømrer', 'Logistik', 'Handel', 'Consult', 'Bygg', 'Elektro', 'Design', 'Import', 'Transport', 'Datentechnik'];
const FORMS = ['ApS', 'A/S', 'GmbH', 'AB', 'Oy'];

export function benchParties(demoBank: readonly DemoParty[], count: number): DemoParty[] {
  const others = Array.from({ length: Math.max(0, count - demoBank.length) }, (_, i): DemoParty => {
    const name = `${PLACES[i % PLACES.length]} ${TRADES[Math.floor(i / PLACES.length) % TRADES.length]} ${FORMS[Math.floor(i / (PLACES.length * TRADES.length)) % FORMS.length]}`;
    return {
      id: `bench-${i}`,
      kind: i % 3 === 0 ? 'supplier' : 'customer',
      name,
      // Most with an account of theirs, as a ledger knows them from invoices and payments.
      ibans: i % 4 === 0 ? [] : [ibanOf('DK', `5000${String(1_000_000_000 + i * 7_919).slice(-10)}`)],
      other_names: i % 10 === 0 ? [`${name.split(' ').slice(0, 2).join(' ')} Service`] : [],
    };
  });
  return [...demoBank, ...others];
}
