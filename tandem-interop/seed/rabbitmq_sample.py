"""The seed article's RabbitMQ sample, run unmodified against a broker on localhost:5672.

The sample's lines are kept as published between the two SAMPLE markers. The harness around them
defines the one function the sample leaves to the reader (send_welcome_email), then consumes from
email_queue with the sample's own callback and checks that the event arrives intact and is acked.
"""
import json
import signal
import sys

received = []


def send_welcome_email(email):
    received.append(email)
    channel.stop_consuming()


def on_timeout(signum, frame):
    print("rabbitmq sample: FAILED: no message within 20 s", file=sys.stderr)
    sys.exit(1)


signal.signal(signal.SIGALRM, on_timeout)
signal.alarm(20)

# --- SAMPLE (unmodified) ---
import pika, json

# RabbitMQ — Publisher
conn    = pika.BlockingConnection(pika.ConnectionParameters('localhost'))
channel = conn.channel()
channel.exchange_declare(exchange='app', exchange_type='topic')
channel.queue_declare(queue='email_queue', durable=True)
channel.queue_bind(exchange='app', queue='email_queue', routing_key='user.*')

channel.basic_publish(
    exchange='app', routing_key='user.registered',
    body=json.dumps({'user_id': 42, 'email': 'r@e.com'}),
    properties=pika.BasicProperties(delivery_mode=2)  # persistent
)

# Consumer
def callback(ch, method, props, body):
    data = json.loads(body)
    send_welcome_email(data['email'])
    ch.basic_ack(delivery_tag=method.delivery_tag)
# --- END SAMPLE ---

channel.basic_consume(queue='email_queue', on_message_callback=callback)
channel.start_consuming()
signal.alarm(0)
left = channel.queue_declare(queue='email_queue', durable=True).method.message_count
conn.close()
if received != ['r@e.com'] or left != 0:
    print(f"rabbitmq sample: FAILED: received {received}, {left} left in queue", file=sys.stderr)
    sys.exit(1)
print("rabbitmq sample: ok (published, routed by user.*, consumed and acked)")
