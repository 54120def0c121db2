/**
 * Who the Demo Bank's entries are with: every counterparty of the generator's pools is a party
 * with a stable identity, as a ledger would register it, plus what banks make of it (its address
 * in a legacy name field, the names its card terminals print, its Danish FI creditor number).
 * The bank reports these names noisily (see noise.ts); the identity is the ground truth that
 * party matching is measured against.
 */
import { makeIban } from './iban.js';

export type PartyKind = 'customer' | 'supplier' | 'employee' | 'other';

/** Someone an entry is with, as the bank knows them. */
export interface Counterparty {
  name: string;
  iban?: string;
  /** Other names it is known by (a trade name, the full legal name): banks report them now and then. */
  otherNames?: readonly string[];
  /** Street and town, which legacy name fields carry after the name. */
  address?: string;
  /** What its card terminals print instead of its name (a payment processor's prefix, the town). */
  terminals?: readonly string[];
  /** Its Danish FI creditor number (8 digits), for FIK payments to it. */
  fikCreditor?: string;
}

/** A counterparty a ledger registers: the ledger's own id and what the party is to it. */
export interface Party extends Counterparty {
  id: string;
  kind: PartyKind;
}

export function isParty(counterparty: Counterparty): counterparty is Party {
  return 'id' in counterparty;
}

type Spec = Omit<Party, 'kind' | 'iban'>;

/** Parties of one kind, each with an IBAN at an invented bank of `country` (stable per position), its BBAN `bbanLength` long. */
function pool(kind: PartyKind, specs: Spec[], country: string, bankCode: string, bbanLength: number): Party[] {
  const account = (i: number) => String(100_000 + i * 7919).padStart(bbanLength - bankCode.length, '0');
  return specs.map((spec, i) => ({ ...spec, kind, iban: makeIban(country, `${bankCode}${account(i)}`) }));
}

/**
 * Card merchants, registered by a business as suppliers. "Café Ørsted" (a café) and the customer
 * "Café Ørsted ApS" are two parties whose names are one once the legal form is dropped: the
 * deliberate collision, ambiguous on name alone (PARTY_NAME_COLLISION below).
 */
export const MERCHANTS: Party[] = (
  [
    ['netto-norrebro', 'Netto Nørrebro', ['NETTO 7123 NORREBRO', 'NETTO NORREBRO KOBENHAVN N']],
    ['fotex-arhus', 'Føtex Århus C', ['FOETEX AARHUS C', 'FOTEX ARHUS C AARHUS C']],
    ['backerei-muller', 'Bäckerei Müller', ['SUMUP *BAECKEREI MUELLER', 'BACKEREI MULLER KOELN']],
    ['cafe-orsted', 'Café Ørsted', ['SUMUP *CAFE ORSTED', 'CAFE ORSTED KOBENHAVN K']],
    ['ica-sodermalm', 'ICA Kvantum Södermalm', ['ICA KVANTUM SODERMALM STOCKHOLM', 'ICA KVANTUM SODERMALM 0154']],
    ['ahlens-city', 'Åhléns City', ['AHLENS CITY STOCKHOLM', 'AHLENS 0123 CITY']],
    ['zabka-lodz', 'Żabka Łódź Piotrkowska', ['ZABKA Z4711 LODZ PIOTRKOWSKA', 'ZABKA LODZ PIOTRKOWSKA']],
    ['creme-brulee', 'Crème & Brûlée', ['IZ *CREME & BRULEE', 'CREME & BRULEE PARIS']],
    ['kaffe-karlek', 'Kaffe & Kärlek', ['ZETTLE_*KAFFE & KARLEK', 'KAFFE & KARLEK GOTEBORG']],
    ['kafeneio', 'Ελληνικό Καφενείο', ['ELLINIKO KAFENEIO ATHINA', 'SUMUP *ELLINIKO KAFENEIO'], ['Elliniko Kafeneio']],
    ['sushi-osterbro', '寿司 Sushi Østerbro', ['SUSHI OSTERBRO KOBENHAVN O', 'SUMUP *SUSHI OSTERBRO']],
    ['7-eleven-norreport', 'DSB 7-Eleven Nørreport', ['7-ELEVEN NORREPORT ST KBH K', 'DSB 7-ELEVEN NORREPORT 1044']],
    ['sl-access', 'SL Access', ['SL ACCESS STOCKHOLM', 'SL ACCESS APP']],
    ['rewe-koln', 'Rewe Köln-Süd', ['REWE KOELN-SUED', 'REWE 4410 KOLN-SUD']],
    ['apotek-hjartat', 'Apotek Hjärtat', ['APOTEK HJARTAT STOCKHOLM', 'APOTEK HJARTAT 0312']],
    ['circle-k-vesterbro', 'Circle K Vesterbro', ['CIRCLE K VESTERBRO KBH V', 'CIRCLE K 1234 VESTERBRO']],
    ['zalando', 'Zalando SE', ['ZALANDO SE BERLIN', 'PAYPAL *ZALANDO']],
    ['spotify', 'Spotify AB', ['SPOTIFY STOCKHOLM', 'PAYPAL *SPOTIFY']],
    ['pressbyran', 'Pressbyrån T-Centralen', ['PRESSBYRAN T-CENTRALEN', 'PRESSBYRAN 4711 STOCKHOLM']],
    ['lidl-malmo', 'Lidl Malmö', ['LIDL MALMO', 'LIDL SVERIGE KB MALMO']],
  ] as const
).map(([slug, name, terminals, otherNames]) => ({ id: `merchant-${slug}`, kind: 'supplier', name, terminals, ...(otherNames && { otherNames }) }));

/** Friends on personal accounts; on a business account, its employees. */
export const PEOPLE = pool('employee', [
  { id: 'person-lars-odegard', name: 'Lars Ødegård' },
  { id: 'person-zoe-angstrom', name: 'Zoë Ångström' },
  { id: 'person-francois-dupre', name: 'François Dupré' },
  { id: 'person-mikael-bjorkstrom', name: 'Mikael Björkström' },
  { id: 'person-jurgen-gross', name: 'Jürgen Groß' },
  { id: 'person-agnieszka-wojcik', name: 'Agnieszka Wójcik' },
  { id: 'person-asa-nystrom', name: 'Åsa Nyström' },
  { id: 'person-niels-bogh', name: 'Niels Bøgh' },
  { id: 'person-ines-munoz', name: 'Inés Muñoz' },
], 'DK', '5301', 14);

export const BILLERS = pool('supplier', [
  { id: 'biller-orsted', name: 'Ørsted Salg & Service A/S', otherNames: ['Ørsted Salg og Service A/S'], address: 'Nesa Allé 1, 2820 Gentofte', fikCreditor: '85218830' },
  { id: 'biller-swm', name: 'Stadtwerke München GmbH', otherNames: ['SWM Versorgungs GmbH'], address: 'Emmy-Noether-Straße 2, 80992 München' },
  { id: 'biller-telia', name: 'Telia Sverige AB', otherNames: ['Telia Company AB'], address: 'Stjärntorget 1, 169 79 Solna' },
  { id: 'biller-topdanmark', name: 'Topdanmark Forsikring A/S', address: 'Borupvang 4, 2750 Ballerup', fikCreditor: '83412706' },
  { id: 'biller-fitness-world', name: 'Fitness World', otherNames: ['Fitness World Danmark ApS'], fikCreditor: '86660117' },
  { id: 'biller-vattenfall', name: 'Vattenfall AB', address: 'Evenemangsgatan 13, 169 79 Solna' },
  { id: 'biller-yousee', name: 'YouSee A/S', address: 'Teglholmsgade 1, 0900 København C', fikCreditor: '81126743' },
], 'DE', '37040044', 18);

export const CUSTOMERS = pool('customer', [
  { id: 'customer-fjordkraft', name: 'Fjordkraft Logistik AS', address: 'Strandkaien 12, 5013 Bergen' },
  { id: 'customer-muller-sohne', name: 'Müller & Söhne KG', address: 'Hafenstraße 7, 20457 Hamburg' },
  { id: 'customer-cafe-orsted', name: 'Café Ørsted ApS', address: 'Ørstedsgade 3, 1353 København K' },
  { id: 'customer-bjork-design', name: 'Björk Design AB', address: 'Götgatan 14, 118 46 Stockholm' },
  { id: 'customer-lukasiewicz', name: 'Łukasiewicz Sp. z o.o.', address: 'ul. Piotrkowska 101, 90-425 Łódź' },
  { id: 'customer-ostergaard', name: 'Østergaard Tømrer', otherNames: ['Østergaard Tømrer og Snedker ApS'], address: 'Vestergade 22, 8000 Aarhus C' },
  { id: 'customer-sgcee', name: 'Société Générale de Câblage et d’Équipements Électriques SARL', otherNames: ['SGCEE SARL'], address: '14 rue de la Paix, 75002 Paris' },
], 'DE', '50010517', 18);

export const SUPPLIERS = pool('supplier', [
  { id: 'supplier-papirgrossisten', name: 'Papirgrossisten A/S', address: 'Industrivej 40, 2600 Glostrup', fikCreditor: '87654312' },
  { id: 'supplier-dansk-kaffe', name: 'Dansk Kaffe Import ApS', address: 'Havnegade 5, 5000 Odense C', fikCreditor: '82241906' },
  { id: 'supplier-lagerhaus-nord', name: 'Lagerhaus Nord GmbH', address: 'Am Sandtorkai 50, 20457 Hamburg' },
  { id: 'supplier-svenska-forpackningar', name: 'Svenska Förpackningar AB', otherNames: ['Svenska Förpackningar Aktiebolag (publ)'], address: 'Hamngatan 3, 411 06 Göteborg' },
  { id: 'supplier-kontorsvaruhuset', name: 'Kontorsvaruhuset i Norden AB', address: 'Drottninggatan 90, 111 36 Stockholm' },
  { id: 'supplier-dhl', name: 'DHL Express (Danmark) A/S', otherNames: ['DHL Express Danmark'], address: 'Dornerines Allé 1, 2770 Kastrup', fikCreditor: '89012347' },
], 'SE', '500', 20);

/** The employer of the personal accounts' salaries (the firma user's own company). */
export const EMPLOYER: Party = pool('other', [{ id: 'employer-nordlicht', name: 'Nordlicht Handel ApS' }], 'DK', '9999', 14)[0]!;
export const LANDLORD: Party = pool('supplier', [{ id: 'landlord-aero', name: 'Boligselskabet Ærø & Co.', address: 'Strandvejen 8, 5970 Ærøskøbing' }], 'DK', '3409', 14)[0]!;
/** The bank itself, for its fees and interest: no IBAN, and its entries name no counterparty. */
export const THE_BANK: Party = { id: 'demo-bank', kind: 'other', name: 'Demo Bank' };
/** Cash from the bank's machines: nobody a ledger registers. */
export const ATM: Counterparty = { name: 'ATM Demo Bank' };

/** The two parties whose names are the same without case, accents and legal form, on purpose. */
export const PARTY_NAME_COLLISION = ['merchant-cafe-orsted', 'customer-cafe-orsted'] as const;

/** The parties a ledger keeping a business account (firma, bulk) registers: everyone its entries are with. */
export const BUSINESS_PARTIES: readonly Party[] = [...CUSTOMERS, ...SUPPLIERS, ...BILLERS, ...MERCHANTS, ...PEOPLE, LANDLORD, THE_BANK];
