import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

interface MetricOptions<Label extends string> {
  /** Prometheus name; bankfeed's own start with `bankfeed_`. */
  name: string;
  help: string;
  labelNames?: readonly Label[];
}

/**
 * The Prometheus metrics of one process, served at /metrics: process metrics, the API's HTTP
 * metrics, and whatever domain metrics are added here. One instance per process (tests make
 * one per app), never prom-client's global registry.
 */
export class Metrics {
  readonly registry = new Registry();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  counter<Label extends string = never>(options: MetricOptions<Label>): Counter<Label> {
    return new Counter({ ...options, registers: [this.registry] });
  }

  histogram<Label extends string = never>(options: MetricOptions<Label> & { buckets?: number[] }): Histogram<Label> {
    return new Histogram({ ...options, registers: [this.registry] });
  }

  /**
   * A gauge whose values are computed at scrape time, e.g. from Postgres: `collect` sets the
   * current values on a gauge emptied before each scrape, so label sets that vanished (a
   * days-left bucket with no consent left in it) vanish from the output too.
   */
  gaugeCollectedOnScrape<Label extends string = never>(
    options: MetricOptions<Label> & { collect: (gauge: Gauge<Label>) => Promise<void> | void },
  ): Gauge<Label> {
    const { collect, ...gaugeOptions } = options;
    return new Gauge({
      ...gaugeOptions,
      registers: [this.registry],
      async collect() {
        this.reset();
        await collect(this);
      },
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text Prometheus scrapes. */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }
}
