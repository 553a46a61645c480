// A minimal reader of imagefleet status events with kafkajs, as installed from npm (no codec
// plugin): the fleet writes its public topics in gzip (or none), which kafkajs reads natively.
//
//   npm ci
//   node consume-events.js localhost:9092 imagefleet.job-events.v1 my-team-events
//
// Prints each event as one line of JSON (pipe it into jq). Every event of a job is on one
// partition, in order; a job's last word is its one terminal event (SUCCEEDED or FAILED).
const { Kafka, logLevel } = require('kafkajs');

const [brokers = 'localhost:9092', topic = 'imagefleet.job-events.v1', groupId = 'my-team-events'] =
  process.argv.slice(2);

const kafka = new Kafka({
  clientId: 'imagefleet-events-reader',
  brokers: brokers.split(','),
  logLevel: logLevel.WARN,
  // For a secured cluster: ssl: true, sasl: { mechanism: 'scram-sha-512', username, password }
});
// kafkajs reads read_committed by default: events of an aborted worker transaction are never
// seen, so each job attempt has exactly one terminal event.
const consumer = kafka.consumer({ groupId });

async function main() {
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const event = JSON.parse(message.value.toString('utf8'));
      // Readers ignore fields (and non-terminal statuses) they do not know: the contract adds
      // optional fields within a major version.
      console.log(JSON.stringify(event));
    },
  });
}

// A crash the client will not recover from (a codec it lacks, say) ends the process, loudly.
consumer.on(consumer.events.CRASH, ({ payload }) => {
  if (!payload.restart) {
    console.error(`consumer stopped: ${payload.error}`);
    process.exit(1);
  }
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => consumer.disconnect().finally(() => process.exit(0)));
}

main().catch((error) => {
  console.error(`consumer failed: ${error}`);
  process.exit(1);
});
