"""Crossing over, replay: an AMQP consumer reads a Kafka topic from its first offset.

Every topic is a stream queue to AMQP clients. A consumer with a prefetch and x-stream-offset
'first' replays it from the start; each delivery carries its offset in the x-stream-offset header.
Reading does not remove anything: Kafka consumers still see every record.
"""
import sys

import pika
from kafka import KafkaProducer

producer = KafkaProducer(bootstrap_servers='localhost:9092')
for page in ('/home', '/pricing', '/signup'):
    producer.send('clicks', key=b'visitor-1', value=page.encode())
producer.flush()

conn = pika.BlockingConnection(pika.ConnectionParameters('localhost'))
channel = conn.channel()
channel.basic_qos(prefetch_count=100)  # stream consumers need a prefetch, as in RabbitMQ
replayed = []


def on_click(ch, method, props, body):
    replayed.append((props.headers['x-stream-offset'], body.decode()))
    ch.basic_ack(delivery_tag=method.delivery_tag)
    if len(replayed) == 3:
        ch.stop_consuming()


conn.call_later(10, channel.stop_consuming)
channel.basic_consume(queue='clicks', on_message_callback=on_click,
                      arguments={'x-stream-offset': 'first'})
channel.start_consuming()
conn.close()
if replayed != [(0, '/home'), (1, '/pricing'), (2, '/signup')]:
    print(f"replay_topic_over_amqp: FAILED: {replayed}", file=sys.stderr)
    sys.exit(1)
print("replay_topic_over_amqp: ok (a Kafka topic replayed by an AMQP consumer from offset 0)")
