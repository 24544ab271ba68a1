"""Crossing over, Kafka -> AMQP: records a Kafka producer writes feed a RabbitMQ-style work queue.

Every topic is also a topic exchange of the same name. Binding a queue to it routes each record
whose key matches into the queue, where workers get per-message acks, requeue and dead-lettering.
x-stream-offset 'first' on the binding backfills the queue with the topic's history first.
"""
import sys

import pika
from kafka import KafkaProducer

producer = KafkaProducer(bootstrap_servers='localhost:9092')
for i in range(5):
    producer.send('orders', key=b'order.created', value=f'order {i}'.encode())
producer.send('orders', key=b'order.audit', value=b'not for workers')
producer.flush()

conn = pika.BlockingConnection(pika.ConnectionParameters('localhost'))
channel = conn.channel()
channel.queue_declare(queue='order-work', durable=True)
channel.queue_bind(queue='order-work', exchange='orders', routing_key='order.created',
                   arguments={'x-stream-offset': 'first'})
channel.basic_qos(prefetch_count=10)

received = []


def work(ch, method, props, body):
    received.append(body.decode())
    ch.basic_ack(delivery_tag=method.delivery_tag)
    if len(received) == 5:
        ch.stop_consuming()


conn.call_later(10, channel.stop_consuming)
channel.basic_consume(queue='order-work', on_message_callback=work)
channel.start_consuming()
conn.close()
if received != [f'order {i}' for i in range(5)]:
    print(f"kafka_to_work_queue: FAILED: {received}", file=sys.stderr)
    sys.exit(1)
print("kafka_to_work_queue: ok (Kafka records routed by key into a queue, consumed and acked)")
