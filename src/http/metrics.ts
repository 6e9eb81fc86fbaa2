/**
 * Application metrics on the /metrics registry: gauges collected from the database at scrape time
 * (queue depth, failures per channel, latency quantiles, overdue clocks per agency) plus the worker's
 * in-process latency histogram and failure counter.
 */
import { Gauge, type Registry } from 'prom-client';
import type { Services } from '../app/context.ts';
import { outboxMetrics } from '../queries/outbox-metrics.ts';
import { registerWorkerMetrics } from '../integrations/worker-metrics.ts';

/** Registers the outbox, delivery and overdue metrics on `registry`. */
export function registerAppMetrics(registry: Registry, svc: Services): void {
  registerWorkerMetrics(registry);
  let cached: { at: number; value: Promise<Awaited<ReturnType<typeof outboxMetrics>>> } | null = null;
  // One database read per scrape, shared by every gauge.
  const read = () => {
    if (!cached || Date.now() - cached.at > 1000) cached = { at: Date.now(), value: outboxMetrics(svc) };
    return cached.value;
  };
  new Gauge({
    name: 'aduan_outbox_queue_depth',
    help: 'Outbox rows not yet sent, per channel and status (pending, dead).',
    labelNames: ['channel', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of (await read()).depth) this.set({ channel: r.channel, status: r.status }, r.n);
    },
  });
  new Gauge({
    name: 'aduan_outbox_failed',
    help: 'Outbox rows dead-lettered or waiting for a retry after a failure, per channel.',
    labelNames: ['channel'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of (await read()).failed) this.set({ channel: r.channel }, r.n);
    },
  });
  new Gauge({
    name: 'aduan_outbox_delivery_latency_seconds',
    help: 'Delivery latency (created → sent) over the last hour, from the outbox, per channel and quantile.',
    labelNames: ['channel', 'quantile'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of (await read()).latency) {
        this.set({ channel: r.channel, quantile: '0.5' }, r.p50);
        this.set({ channel: r.channel, quantile: '0.95' }, r.p95);
      }
    },
  });
  new Gauge({
    name: 'aduan_overdue_reports',
    help: 'Running staff clocks (verification, follow-up, completion) past their due time, per agency.',
    labelNames: ['agency'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of (await read()).overdue) this.set({ agency: r.agencyId }, r.n);
    },
  });
}
