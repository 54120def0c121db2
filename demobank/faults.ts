/**
 * Fault switches, set at run time through `POST /_demobank/faults`: misbehaviours of real banks,
 * reproducible (every random choice comes from the faults' seed) and scoped (to an account by
 * IBAN, to an endpoint, to the next N responses) so a test can aim them.
 */
import { Type, type Static, type TProperties } from 'typebox';
import { TppError } from './errors.js';
import { Random } from './random.js';
import type { FaultsState } from './state.js';

export const ENDPOINTS = ['consents', 'accounts', 'balances', 'transactions'] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

const scope = {
  /** Only responses about this account (IBAN). */
  account: Type.Optional(Type.String({ minLength: 1 })),
  /** Only this many responses; then the fault is used up. */
  times: Type.Optional(Type.Integer({ minimum: 1 })),
};
const requestScope = { ...scope, endpoint: Type.Optional(Type.Enum(ENDPOINTS)) };
const rule = <K extends string, P extends TProperties>(kind: K, properties: P) =>
  Type.Object({ kind: Type.Literal(kind), ...properties }, { additionalProperties: false });

export const FaultRule = Type.Union([
  rule('serverError', {
    ...requestScope,
    rate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    status: Type.Optional(Type.Union([Type.Literal(500), Type.Literal(502), Type.Literal(503), Type.Literal(504)])),
  }),
  rule('latency', { ...requestScope, ms: Type.Integer({ minimum: 0, maximum: 600_000 }) }),
  rule('timeout', { ...requestScope, ms: Type.Optional(Type.Integer({ minimum: 0, maximum: 3_600_000 })) }),
  rule('rateLimit', { ...requestScope, after: Type.Integer({ minimum: 0 }) }),
  rule('changeIdOnBooking', scope),
  rule('rekey', { ...scope, generation: Type.Optional(Type.Integer({ minimum: 1 })) }),
  rule('omitIds', scope),
  rule('zeroEntryReference', scope),
  rule('duplicateRows', { ...scope, count: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }),
  rule('malformedEntry', { ...scope, field: Type.Optional(Type.Union([Type.Literal('amount'), Type.Literal('bookingDate')])) }),
]);
export type FaultRule = Static<typeof FaultRule>;

export const FaultsBody = Type.Object(
  { seed: Type.Optional(Type.Union([Type.Integer(), Type.String()])), faults: Type.Array(FaultRule) },
  { additionalProperties: false },
);
export type FaultsBody = Static<typeof FaultsBody>;

/** Faults that act on a whole request; the others spoil pages of transactions. */
const REQUEST_KINDS = new Set<FaultRule['kind']>(['serverError', 'latency', 'timeout', 'rateLimit']);

/** How long a `timeout` fault holds a request by default: longer than any sensible client waits. */
const DEFAULT_HOLD_MS = 120_000;

interface Active {
  rule: FaultRule;
  remaining: number | undefined;
  /** Matching calls seen (for rateLimit). */
  calls: number;
  random: Random;
}

/** What a request meets before the bank looks at it. */
export interface RequestFaults {
  latencyMs: number;
  /** Hold the request this long, then drop the connection without an answer. */
  holdMs?: number;
  error?: TppError;
}

/** How a page of transactions is to be spoiled. */
export interface PageFaults {
  /** Ids are derived with this salt: every id at the bank changes with it. */
  idSalt: string;
  changeIdOnBooking: boolean;
  omitIds: boolean;
  zeroEntryReference: boolean;
  /** Rows to repeat, each right after itself. */
  duplicates: number;
  malformed?: 'amount' | 'bookingDate';
  random: Random;
}

export class Faults {
  private seed: string | number = 0;
  private active: Active[] = [];

  constructor(saved?: FaultsState) {
    if (saved) this.activate(saved);
  }

  set(body: FaultsBody): void {
    this.activate({ seed: body.seed ?? 0, rules: body.faults.map((rule) => ({ rule, remaining: rule.times, calls: 0 })) });
  }

  state(): FaultsState {
    return { seed: this.seed, rules: this.active.map(({ rule, remaining, calls }) => ({ rule, remaining, calls })) };
  }

  describe(): { seed: string | number; faults: (FaultRule & { remaining?: number })[] } {
    return { seed: this.seed, faults: this.active.map(({ rule, remaining }) => ({ ...rule, ...(remaining !== undefined && { remaining }) })) };
  }

  forRequest(endpoint: Endpoint, iban: string | undefined): RequestFaults {
    const faults: RequestFaults = { latencyMs: 0 };
    for (const fault of this.matching(iban, endpoint)) {
      const { rule } = fault;
      if (rule.kind === 'latency') faults.latencyMs += this.use(fault, rule.ms);
      else if (rule.kind === 'timeout' && faults.holdMs === undefined) faults.holdMs = this.use(fault, rule.ms ?? DEFAULT_HOLD_MS);
      else if (rule.kind === 'serverError' && !faults.error && fault.random.chance(rule.rate ?? 1)) {
        const status = rule.status ?? 503;
        faults.error = this.use(fault, new TppError(status, status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR', 'The bank failed (injected fault)'));
      } else if (rule.kind === 'rateLimit' && !faults.error && ++fault.calls > rule.after)
        faults.error = this.use(fault, new TppError(429, 'ACCESS_EXCEEDED', 'The access limit of the bank is exceeded'));
    }
    return faults;
  }

  forPage(iban: string): PageFaults {
    const page: PageFaults = { idSalt: '', changeIdOnBooking: false, omitIds: false, zeroEntryReference: false, duplicates: 0, random: new Random('page', this.seed) };
    for (const fault of this.matching(iban, undefined)) {
      const { rule } = fault;
      if (rule.kind === 'rekey') page.idSalt = this.use(fault, `rekey${rule.generation ?? 1}`);
      else if (rule.kind === 'changeIdOnBooking') page.changeIdOnBooking = this.use(fault, true);
      else if (rule.kind === 'omitIds') page.omitIds = this.use(fault, true);
      else if (rule.kind === 'zeroEntryReference') page.zeroEntryReference = this.use(fault, true);
      else if (rule.kind === 'duplicateRows') {
        page.duplicates += this.use(fault, rule.count ?? 1);
        page.random = fault.random;
      } else if (rule.kind === 'malformedEntry') {
        page.malformed = this.use(fault, rule.field ?? 'amount');
        page.random = fault.random;
      }
    }
    return page;
  }

  /** Live rules aimed at this account (or at none) and, for request faults, at this endpoint. */
  private matching(iban: string | undefined, endpoint: Endpoint | undefined): Active[] {
    return this.active.filter(({ rule, remaining }) => {
      if (remaining === 0) return false;
      if (rule.account !== undefined && rule.account !== iban) return false;
      const requestRule = REQUEST_KINDS.has(rule.kind);
      if (endpoint === undefined) return !requestRule;
      return requestRule && (!('endpoint' in rule) || rule.endpoint === undefined || rule.endpoint === endpoint);
    });
  }

  /**
   * A restarted bank's random choices (a serverError's rate, duplicated rows) start over from the
   * seed: the same sequence again, as reproducible as before, only not continued.
   */
  private activate({ seed, rules }: FaultsState): void {
    this.seed = seed;
    this.active = rules.map(({ rule, remaining, calls }, i) => ({ rule, remaining, calls, random: new Random('faults', seed, i) }));
  }

  /** Counts one use of a fault against its `times` and passes the value through. */
  private use<T>(fault: Active, value: T): T {
    if (fault.remaining !== undefined) fault.remaining--;
    return value;
  }
}
