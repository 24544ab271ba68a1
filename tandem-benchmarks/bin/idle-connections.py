#!/usr/bin/python3
"""Opens N idle AMQP connections with one channel each against PORT, holds them for a while,
and prints the broker's RSS before and with them (the broker pid is given), then closes them.
Usage: idle-connections.py PORT BROKER_PID [N]   (pika from Debian's python3-pika)"""
import sys
import time

import pika


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


port, pid = int(sys.argv[1]), int(sys.argv[2])
count = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
before = rss_kib(pid)
params = pika.ConnectionParameters("127.0.0.1", port, heartbeat=0, blocked_connection_timeout=None)
connections = []
for _ in range(count):
    connection = pika.BlockingConnection(params)
    connection.channel()
    connections.append(connection)
time.sleep(5)
during = rss_kib(pid)
print(f"port {port}: RSS {before} KiB before, {during} KiB with {count} idle connections: "
      f"{(during - before) / count:.1f} KiB per connection")
for connection in connections:
    connection.close()
