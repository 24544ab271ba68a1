"""Crossing over, AMQP -> Kafka: the seed's pika publisher, plus one binding, feeds a Kafka topic.

Every event published to the topic exchange 'app' with a 'user.*' routing key is also appended to
the stream 'user-events', which is the Kafka topic 'user-events': an analytics service replays it
with a plain kafka-python consumer from offset 0.
"""
import json
import sys

import pika
from kafka import KafkaConsumer

conn = pika.BlockingConnection(pika.ConnectionParameters('localhost'))
channel = conn.channel()
channel.exchange_declare(exchange='app', exchange_type='topic')
# A stream queue is a Kafka topic of the same name.
channel.queue_declare(queue='user-events', durable=True, arguments={'x-queue-type': 'stream'})
channel.queue_bind(exchange='app', queue='user-events', routing_key='user.*')

channel.confirm_delivery()
channel.basic_publish(
    exchange='app', routing_key='user.registered',
    body=json.dumps({'user_id': 7, 'email': 'x@e.com'}),
    properties=pika.BasicProperties(delivery_mode=2, content_type='application/json',
                                    headers={'source': 'signup'}))
conn.close()

consumer = KafkaConsumer('user-events', bootstrap_servers='localhost:9092',
                         auto_offset_reset='earliest', group_id='analytics-example',
                         consumer_timeout_ms=10000)
for record in consumer:
    event = json.loads(record.value)
    headers = dict(record.headers)
    if event.get('user_id') == 7:
        assert record.key == b'user.registered', record.key
        assert headers['source'] == b'signup', headers
        assert headers['amqp-content-type'] == b'application/json', headers
        print("events_to_kafka: ok (pika publish read by a Kafka consumer, key and headers kept)")
        sys.exit(0)
print("events_to_kafka: FAILED: the event did not reach the topic", file=sys.stderr)
sys.exit(1)
