#!/usr/bin/python3
"""Times queue declarations, bindings and deletions one after another on one channel against PORT,
as an application setting up its topology (or an RPC client its reply queues) does, and prints the
mean milliseconds of each kind.
Usage: declare-latency.py PORT [N]   (N of each, default 300; pika from Debian's python3-pika)"""
import sys
import time

import pika

port = int(sys.argv[1])
count = int(sys.argv[2]) if len(sys.argv) > 2 else 300
channel = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", port)).channel()


def timed(label, action):
    start = time.monotonic()
    results = [action(i) for i in range(count)]
    print(f"port {port}: {label:<28} {1000 * (time.monotonic() - start) / count:6.2f} ms")
    return results


prefix = f"latency-{time.time_ns()}"
timed("durable queue.declare", lambda i: channel.queue_declare(f"{prefix}-{i}", durable=True))
timed("queue.bind (durable)", lambda i: channel.queue_bind(f"{prefix}-{i}", "amq.topic", f"k.{i}"))
timed("redeclare (exists)", lambda i: channel.queue_declare(f"{prefix}-{i}", durable=True))
timed("durable queue.delete", lambda i: channel.queue_delete(f"{prefix}-{i}"))
names = timed(
    "exclusive server-named",
    lambda i: channel.queue_declare("", exclusive=True).method.queue)
timed("exclusive queue.delete", lambda i: channel.queue_delete(names[i]))
