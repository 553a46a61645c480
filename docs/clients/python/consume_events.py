"""A minimal reader of imagefleet status events with confluent-kafka-python (librdkafka).

    pip install confluent-kafka        # or Debian: apt-get install python3-confluent-kafka
    python3 consume_events.py localhost:9092 imagefleet.job-events.v1 my-team-events

Prints each event as one line of JSON. Every event of a job is on one partition, in order; a
job's last word is its one terminal event (SUCCEEDED or FAILED).
"""
import json
import signal
import sys

from confluent_kafka import Consumer

brokers, topic, group = (sys.argv[1:] + [None, None, None])[:3]
consumer = Consumer(
    {
        "bootstrap.servers": brokers or "localhost:9092",
        "group.id": group or "my-team-events",
        "auto.offset.reset": "earliest",
        # Events of an aborted worker transaction are never seen: one terminal event per attempt.
        "isolation.level": "read_committed",
        # For a secured cluster: security.protocol, sasl.mechanisms, sasl.username, ...
    }
)
consumer.subscribe([topic or "imagefleet.job-events.v1"])

running = True


def stop(*_):
    global running
    running = False


signal.signal(signal.SIGINT, stop)
signal.signal(signal.SIGTERM, stop)
try:
    while running:
        message = consumer.poll(1.0)
        if message is None:
            continue
        if message.error():
            if message.error().fatal():
                sys.exit(f"consumer stopped: {message.error()}")
            print(f"consumer warning: {message.error()}", file=sys.stderr)
            continue
        event = json.loads(message.value())
        # Readers ignore fields (and non-terminal statuses) they do not know: the contract adds
        # optional fields within a major version.
        print(json.dumps(event), flush=True)
finally:
    consumer.close()
