"""Publishes image jobs with confluent-kafka-python, built from the published JSON Schema alone.

    apt-get install python3-confluent-kafka python3-jsonschema   # or pip install both
    python3 publish_jobs.py localhost:9092 imagefleet.jobs.v1 path/to/job-request.v1.schema.json demo 10

Each job is checked against job-request.v1.schema.json, keyed by its job_id and placed by
librdkafka's default partitioner (a CRC32 of the key, not Java's murmur2: the fleet does not
care). Prints the job ids it published, one per line.
"""
import json
import sys
from datetime import datetime, timezone

import jsonschema
from confluent_kafka import Producer

if len(sys.argv) < 4:
    sys.exit("usage: publish_jobs.py BROKERS TOPIC SCHEMA_FILE [JOB_ID_PREFIX] [COUNT]")
brokers, topic, schema_path = sys.argv[1:4]
prefix = sys.argv[4] if len(sys.argv) > 4 else "python"
count = int(sys.argv[5]) if len(sys.argv) > 5 else 10

with open(schema_path, encoding="utf-8") as f:
    validator = jsonschema.Draft202012Validator(json.load(f))

SIZES = ["1:1", "2:3", "3:2"]
QUALITIES = ["low", "medium", "high"]


def job(i):
    job = {
        "schema_version": 1,
        "job_id": f"{prefix}-{i}",
        "tenant": "python-team",
        "prompt": f"a ceramic vase, studio light, take {i} of {prefix}",
        "size": SIZES[i % len(SIZES)],
        "quality": QUALITIES[i % len(QUALITIES)],
        "n": 1 + i % 2,
        "metadata": {"client": "confluent-kafka-python", "index": str(i)},
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"),
    }
    if i % 5 == 0:
        # Sent to the gateway as its image_urls.
        job["reference_image_urls"] = [f"https://assets.example.com/ref/vase-{i}.png"]
    validator.validate(job)
    return job


failures = []


def delivered(error, message):
    if error is not None:
        failures.append(f"{message.key()}: {error}")


producer = Producer({"bootstrap.servers": brokers, "enable.idempotence": True})
jobs = [job(i) for i in range(count)]
for j in jobs:
    producer.produce(
        topic, key=j["job_id"].encode(), value=json.dumps(j).encode(), on_delivery=delivered
    )
if producer.flush(30) > 0 or failures:
    sys.exit(f"publishing failed: {failures or 'not every job was delivered in 30 s'}")
for j in jobs:
    print(j["job_id"])
