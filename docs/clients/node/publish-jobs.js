// Publishes image jobs with kafkajs, built from the published JSON Schema alone: each job is
// checked against job-request.v1.schema.json before it is sent, keyed by its job_id, and placed
// by kafkajs's own default partitioner.
//
//   npm ci
//   node publish-jobs.js localhost:9092 imagefleet.jobs.v1 path/to/job-request.v1.schema.json demo 10
//
// Prints the job ids it published, one per line.
const fs = require('fs');
const Ajv2020 = require('ajv/dist/2020');
const { Kafka, Partitioners, logLevel } = require('kafkajs');

const [brokers, topic, schemaPath, prefix = 'node', count = '10'] = process.argv.slice(2);
if (!brokers || !topic || !schemaPath) {
  console.error('usage: node publish-jobs.js BROKERS TOPIC SCHEMA_FILE [JOB_ID_PREFIX] [COUNT]');
  process.exit(2);
}

// Formats are left to the workers, which check every URL themselves (public host, extension).
const validate = new Ajv2020({ validateFormats: false }).compile(
  JSON.parse(fs.readFileSync(schemaPath, 'utf8')),
);

const sizes = ['1:1', '2:3', '3:2'];
const qualities = ['low', 'medium', 'high'];

function job(i) {
  const job = {
    schema_version: 1,
    job_id: `${prefix}-${i}`,
    tenant: 'node-team',
    prompt: `a ceramic vase, studio light, take ${i} of ${prefix}`,
    size: sizes[i % sizes.length],
    quality: qualities[i % qualities.length],
    n: 1 + (i % 2),
    metadata: { client: 'kafkajs', index: String(i) },
    created_at: new Date().toISOString(),
  };
  if (i % 5 === 0) {
    // Sent to the gateway as its image_urls.
    job.reference_image_urls = [`https://assets.example.com/ref/vase-${i}.png`];
  }
  if (!validate(job)) {
    throw new Error(`job ${job.job_id} breaks the schema: ${JSON.stringify(validate.errors)}`);
  }
  return job;
}

async function main() {
  const kafka = new Kafka({
    clientId: 'imagefleet-jobs-publisher',
    brokers: brokers.split(','),
    logLevel: logLevel.WARN,
  });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const jobs = Array.from({ length: Number(count) }, (_, i) => job(i));
    await producer.send({
      topic,
      acks: -1,
      messages: jobs.map((j) => ({ key: j.job_id, value: JSON.stringify(j) })),
    });
    jobs.forEach((j) => console.log(j.job_id));
  } finally {
    await producer.disconnect();
  }
}

main().catch((error) => {
  console.error(`publishing failed: ${error}`);
  process.exit(1);
});
