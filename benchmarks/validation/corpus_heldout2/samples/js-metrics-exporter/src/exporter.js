'use strict';

const http = require('node:http');
const client = require('prom-client');
const amqp = require('amqplib');

const DEFAULTS = {
  port: 9419,
  intervalMs: 15000,
  queues: [],
  url: 'amqp://localhost',
};

function readConfig(env = process.env) {
  // Only the settings given in the environment override DEFAULTS; the rest
  // keep their default values through the spread below.
  const fromEnv = {};
  if (env.EXPORTER_PORT) fromEnv.port = Number(env.EXPORTER_PORT);
  if (env.EXPORTER_INTERVAL_MS) fromEnv.intervalMs = Number(env.EXPORTER_INTERVAL_MS);
  if (env.EXPORTER_QUEUES) fromEnv.queues = env.EXPORTER_QUEUES.split(',').map((q) => q.trim());
  if (env.AMQP_URL) fromEnv.url = env.AMQP_URL;
  return { ...DEFAULTS, ...fromEnv };
}

const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, prefix: 'exporter_' });

const depth = new client.Gauge({
  name: 'rabbitmq_queue_messages_ready',
  help: 'Messages ready for delivery',
  labelNames: ['queue'],
  registers: [registry],
});
const consumers = new client.Gauge({
  name: 'rabbitmq_queue_consumers',
  help: 'Consumers attached to the queue',
  labelNames: ['queue'],
  registers: [registry],
});
const scrapeErrors = new client.Counter({
  name: 'exporter_scrape_errors_total',
  help: 'Failed queue inspections',
  labelNames: ['queue'],
  registers: [registry],
});

async function inspectAll(channelFactory, queues) {
  for (const queue of queues) {
    // checkQueue closes the channel when the queue is missing, so every
    // queue gets a fresh one.
    const channel = await channelFactory();
    try {
      const info = await channel.checkQueue(queue);
      depth.set({ queue }, info.messageCount);
      consumers.set({ queue }, info.consumerCount);
    } catch (err) {
      scrapeErrors.inc({ queue });
      depth.remove({ queue });
      consumers.remove({ queue });
      console.error(`cannot inspect ${queue}: ${err.message}`);
    } finally {
      await channel.close().catch((err) => {
        if (!/closed/i.test(err.message)) throw err;
      });
    }
  }
}

function route(req, res) {
  switch (req.url) {
    case '/metrics':
      registry.metrics().then(
        (body) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(body);
        },
        (err) => {
          res.writeHead(500);
          res.end(String(err));
        },
      );
      break;
    case '/healthz':
      res.writeHead(200);
      res.end('ok');
      break;
    default:
      // Everything else is a 404, including the trailing-slash variants.
      res.writeHead(404);
      res.end();
  }
}

async function main() {
  const config = readConfig();
  if (config.queues.length === 0) {
    console.error('EXPORTER_QUEUES is empty, nothing to export');
    process.exit(2);
  }
  const connection = await amqp.connect(config.url);
  const tick = () => inspectAll(() => connection.createChannel(), config.queues);
  await tick();
  setInterval(() => {
    tick().catch((err) => console.error('scrape cycle failed', err));
  }, config.intervalMs).unref();
  http.createServer(route).listen(config.port);
  console.log(`exporting ${config.queues.length} queues on :${config.port}`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

module.exports = { readConfig, route };
