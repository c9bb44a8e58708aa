import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's Prometheus series, every one named `linli_…`, served at /metrics by the `web` role
 * (src/web/metrics-route.ts). Counters count what this process did; the queue and broadcast gauges
 * are read from Redis and the database when scraped, so any process shows them whole. No label
 * carries a person, a chat or a text: platforms, outcomes, queue names and purposes only.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'linli_' });

const registers = [metricsRegistry];

/** outcome: handled (answered), not-addressed (group chatter), duplicate (a redelivery), invalid, error. */
export const inboundMessages = new Counter({
  name: 'linli_inbound_messages_total',
  help: 'Messages received from people, by platform and outcome',
  labelNames: ['platform', 'outcome'] as const,
  registers,
});

/** From the message's arrival to its replies queued for sending (the router, the use case, the commit). */
export const replyLatency = new Histogram({
  name: 'linli_reply_latency_seconds',
  help: 'Time from a message received to its replies queued, by platform',
  labelNames: ['platform'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers,
});

/** outcome: sent, skipped (already sent before a crash, or a cancelled broadcast's), failed (for good). */
export const outboundSends = new Counter({
  name: 'linli_outbound_sends_total',
  help: 'Outbound messages worked by the delivery queues, by platform and outcome',
  labelNames: ['platform', 'outcome'] as const,
  registers,
});

export const outboundRateLimited = new Counter({
  name: 'linli_outbound_rate_limited_total',
  help: 'Sends the platform refused with 429 (too many requests); the queue pauses and tries again',
  labelNames: ['platform'] as const,
  registers,
});

export const outboundRetries = new Counter({
  name: 'linli_outbound_retries_total',
  help: 'Sends that failed and are tried again later (backoff), by platform',
  labelNames: ['platform'] as const,
  registers,
});

export const queueJobs = new Gauge({
  name: 'linli_queue_jobs',
  help: 'Jobs in each BullMQ queue by state (read from Redis when scraped)',
  labelNames: ['queue', 'state'] as const,
  registers,
});

export const reminderLateness = new Histogram({
  name: 'linli_reminder_lateness_seconds',
  help: 'How long after its due time a reminder was queued for sending',
  buckets: [0.5, 1, 5, 15, 60, 300, 900, 3600],
  registers,
});

export const broadcastDeliveries = new Counter({
  name: 'linli_broadcast_deliveries_total',
  help: 'Broadcast deliveries to groups finished by this process, by platform and outcome (sent, failed)',
  labelNames: ['platform', 'outcome'] as const,
  registers,
});

export const broadcastsByStatus = new Gauge({
  name: 'linli_broadcasts',
  help: 'Broadcasts scheduled and running (read from the database when scraped)',
  labelNames: ['status'] as const,
  registers,
});

export const runningBroadcastDeliveries = new Gauge({
  name: 'linli_broadcast_running_deliveries',
  help: 'Deliveries of the broadcasts now running, by status (pending, sent, failed, cancelled): their progress',
  labelNames: ['status'] as const,
  registers,
});

/** outcome as recorded in LlmCall: ok, invalid, timeout, error, budget (held back), off. */
export const llmCalls = new Counter({
  name: 'linli_llm_calls_total',
  help: 'LLM calls, sent or held back, by purpose and outcome',
  labelNames: ['purpose', 'outcome'] as const,
  registers,
});

export const llmLatency = new Histogram({
  name: 'linli_llm_latency_seconds',
  help: 'Time of the LLM calls that reached the endpoint, by purpose',
  labelNames: ['purpose'] as const,
  buckets: [0.1, 0.25, 0.5, 1, 2, 4, 8, 16],
  registers,
});
