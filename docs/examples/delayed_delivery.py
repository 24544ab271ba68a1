"""Delayed delivery, as RabbitMQ's delayed-message exchange plugin offers it, durable on Tandem."""
import sys
import time

import pika

conn = pika.BlockingConnection(pika.ConnectionParameters('localhost'))
channel = conn.channel()
channel.exchange_declare(exchange='reminders', exchange_type='x-delayed-message', durable=True,
                         arguments={'x-delayed-type': 'direct'})
channel.queue_declare(queue='reminder-queue', durable=True)
channel.queue_bind(queue='reminder-queue', exchange='reminders', routing_key='remind')

sent = time.time()
channel.basic_publish(exchange='reminders', routing_key='remind', body=b'call back',
                      properties=pika.BasicProperties(delivery_mode=2, headers={'x-delay': 700}))
arrived = None


def on_message(ch, method, props, body):
    global arrived
    arrived = time.time()
    ch.basic_ack(delivery_tag=method.delivery_tag)
    ch.stop_consuming()


conn.call_later(10, channel.stop_consuming)
channel.basic_consume(queue='reminder-queue', on_message_callback=on_message)
channel.start_consuming()
conn.close()
if arrived is None or arrived - sent < 0.7:
    print(f"delayed_delivery: FAILED: arrived {arrived} sent {sent}", file=sys.stderr)
    sys.exit(1)
print(f"delayed_delivery: ok (delivered after {arrived - sent:.2f} s, asked 0.7 s)")
