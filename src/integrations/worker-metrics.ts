/**
 * Process-local metrics the worker observes while delivering (prom-client, not in the global registry):
 * delivery latency from outbox row creation to acknowledged delivery, and delivery failures per channel.
 * The web process registers them on its /metrics registry; a standalone worker process keeps its own
 * counts, so /metrics also derives latency from outbox created_at → sent_at at scrape time.
 */
import { Counter, Histogram, type Registry } from 'prom-client';

/** Seconds from enqueue to acknowledged delivery, per channel. */
export const deliveryLatency = new Histogram({
  name: 'aduan_outbox_delivery_seconds',
  help: 'Seconds from outbox row creation to acknowledged delivery (observed by this process).',
  labelNames: ['channel'],
  buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 1800, 3600, 6 * 3600, 24 * 3600],
  registers: [],
});

/** Failed delivery attempts per channel (retried or dead-lettered). */
export const deliveryFailures = new Counter({
  name: 'aduan_outbox_delivery_failures_total',
  help: 'Failed delivery attempts observed by this process, per channel and outcome.',
  labelNames: ['channel', 'outcome'],
  registers: [],
});

/** Adds the worker's metrics to a registry (once per registry). */
export function registerWorkerMetrics(registry: Registry): void {
  if (!registry.getSingleMetric('aduan_outbox_delivery_seconds')) registry.registerMetric(deliveryLatency);
  if (!registry.getSingleMetric('aduan_outbox_delivery_failures_total'))
    registry.registerMetric(deliveryFailures);
}
