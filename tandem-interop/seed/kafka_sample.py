"""The seed article's Kafka sample, run unmodified against a broker on localhost:9092.

The sample's lines are kept as published between the two SAMPLE markers. The harness defines the
function the sample leaves to the reader (process_event), which stops the sample's endless
consumer loop once the event arrived. The sample's consumer starts at the latest offset (the
client's default) after its send, so a harness thread re-sends the same event with the sample's
own producer until the consumer has joined its group and sees one.
"""
import json
import signal
import sys
import threading

received = []


class Done(Exception):
    pass


def process_event(event):
    received.append(event)
    raise Done()


def on_timeout(signum, frame):
    print("kafka sample: FAILED: no event within 60 s", file=sys.stderr)
    sys.exit(1)


signal.signal(signal.SIGALRM, on_timeout)
signal.alarm(60)

stop = threading.Event()


def keep_sending():
    while not stop.wait(1.0):
        producer.send('user-events', {'event': 'registered', 'user_id': 42})


try:
    # --- SAMPLE (unmodified) ---
    from kafka import KafkaProducer, KafkaConsumer

    producer = KafkaProducer(bootstrap_servers='localhost:9092',
                             value_serializer=lambda v: json.dumps(v).encode())
    producer.send('user-events', {'event': 'registered', 'user_id': 42})

    consumer = KafkaConsumer('user-events', bootstrap_servers='localhost:9092',
                             group_id='email-service')
    threading.Thread(target=keep_sending, daemon=True).start()
    for message in consumer:
        process_event(json.loads(message.value))
    # --- END SAMPLE ---
except Done:
    pass
stop.set()
signal.alarm(0)
consumer.close()
producer.close()
if received != [{'event': 'registered', 'user_id': 42}]:
    print(f"kafka sample: FAILED: received {received}", file=sys.stderr)
    sys.exit(1)
print("kafka sample: ok (produced, consumed in group email-service)")
