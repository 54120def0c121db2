/** What a statement file says, as a stream of events in file order: the contract of `parseStatementFile`. */

import type { CsvFinding } from './csv-detect.js';
import type { CsvPreset } from './csv-preset.js';
import type { Mt940Dialect } from './mt940-dialects.js';

export type StatementFormat = 'camt.052' | 'camt.053' | 'camt.054' | 'mt940' | 'mt942' | 'csv';

export type StatementEvent =
  | FileEvent
  | { kind: 'statement'; statement: StatementHeader }
  | { kind: 'entry'; entry: StatementEntry }
  | StatementEndEvent;

export interface FileEvent {
  kind: 'file';
  format: StatementFormat;
  /** camt GrpHdr/MsgId. */
  messageId?: string;
  /** camt GrpHdr/CreDtTm, as written. */
  createdAt?: string;
  /** The camt message version from its namespace, e.g. "camt.053.001.08". */
  version?: string;
  /** CSV read without a preset: the preset detected from the file. */
  csvPreset?: CsvPreset;
  /** CSV read without a preset: what detection found, each with its evidence. */
  csvFindings?: CsvFinding[];
}

export interface StatementEndEvent {
  kind: 'statementEnd';
  closingBalance?: Balance;
  closingAvailableBalance?: Balance;
  /**
   * CSV only: SHA-256 (hex) of the file's whole text. A CSV's statementId can only cover what was
   * read before its first entry, so this is the identity of the file for recognising it again.
   */
  contentSha256?: string;
  /** MT940 and MT942: how the message departs from the SWIFT layout (see MT940_DIALECTS), in that list's order. */
  dialects?: Mt940Dialect[];
}

export interface StatementHeader {
  /** camt Stmt/Id (Rpt/Id, Ntfctn/Id); MT940 :20: and :28C:; MT942 also @ its :13D: date-time; CSV a hash of the file's first 64 KiB. */
  statementId: string;
  /** camt ElctrncSeqNb (else LglSeqNb); MT940 :28C:. */
  sequenceNumber?: string;
  account: { iban?: string; otherId?: string; currency?: string; name?: string };
  openingBalance?: Balance;
  /** YYYY-MM-DD when known. */
  fromDate?: string;
  toDate?: string;
}

export interface Balance {
  /** Signed canonical decimal (see transactions/amount.ts). */
  amount: string;
  currency: string;
  /** YYYY-MM-DD. */
  date: string;
}

export type EntryStatus = 'booked' | 'pending' | 'info';

/** Every parser builds entries of one shape: each field present, undefined where the file has no value. */
export interface StatementEntry {
  status: EntryStatus;
  /** YYYY-MM-DD; for pending entries the expected (value) date when the bank gives no booking date. */
  bookingDate: string;
  valueDate?: string;
  /** Signed canonical decimal, debits negative. */
  amount: string;
  currency: string;
  /** The bank's own id (camt AcctSvcrRef, else NtryRef; MT940 after "//"; CSV a mapped column); never blank or a placeholder. */
  bankReference?: string;
  /** Absent for the SEPA placeholder NOTPROVIDED. */
  endToEndId?: string;
  /** The SEPA direct debit mandate reference (camt MndtId, MT940 :86: MREF+ or /MARF/, a CSV's mandate column). */
  mandateId?: string;
  counterpartyName?: string;
  /** A valid IBAN, upper case without spaces. */
  counterpartyIban?: string;
  /** The counterparty's account when it is not an IBAN (a national account number, say). */
  counterpartyAccount?: string;
  remittanceInformation?: string;
  /** e.g. PMNT-RCDT-ESCT, a proprietary code, or an MT940 type code such as NTRF (+ German GVC: NTRF+166). */
  bankTransactionCode?: string;
  reversal: boolean;
  /**
   * Set when a camt entry that books a batch was split into its transactions: the reference of
   * the booked entry they share, and this transaction's place among them (1-based).
   */
  batch?: { entryReference?: string; index: number; size: number };
  /** Where in the file: "line 42" (MT940, CSV) or "Stmt[1]/Ntry[37]/TxDtls[2]" (camt). */
  location: string;
}
