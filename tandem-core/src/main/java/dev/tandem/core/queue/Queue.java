package dev.tandem.core.queue;

import dev.tandem.storage.log.AppendResult;
import dev.tandem.storage.log.FileSlice;
import dev.tandem.storage.log.Log;
import dev.tandem.storage.record.RecordReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A classic queue, backed by a log: each message is appended to the queue's log at an offset that
 * identifies it until it is acked. Ready messages are delivered in offset order, requeued ones
 * first (back at their original position, as RabbitMQ requeues). A bounded window of ready messages
 * is kept in memory; beyond it messages stay on disk and are read back as the window drains, so
 * memory follows in-flight messages, not queue depth. Once every message below an offset is acked,
 * the log start moves there and whole segments go.
 *
 * <p>Durable queues keep an {@link AckLog}; after a restart every message that was neither acked
 * nor transient comes back, marked redelivered if it had been delivered.
 *
 * <p>Thread-safe: every operation runs under the queue's lock; consumers are called under it.
 */
public final class Queue implements MessageSource {
  private static final Logger LOG = LoggerFactory.getLogger(Queue.class);
  static final int WINDOW_MESSAGES = 8192;
  static final long WINDOW_BYTES = 32L * 1024 * 1024;

  private final String vhost;
  private final String name;
  private final QueueOptions options;
  private final long messageTtl;
  private final Log log;
  private final AckLog acks;
  private final DeadLetterSink deadLetters;
  private final boolean deadLettering;
  private final long maxLength;
  private final long maxLengthBytes;
  private final String overflow;
  private final long expires;
  private final boolean singleActiveConsumer;

  private final ArrayDeque<Ready> window = new ArrayDeque<>();
  private long windowBytes;
  private final TreeMap<Long, Ready> requeued = new TreeMap<>();
  private final Map<Long, Ready> unacked = new HashMap<>();
  private final TreeSet<Long> ackedAboveFloor = new TreeSet<>();
  private final List<QueueConsumer> consumers = new ArrayList<>();
  private QueueConsumer exclusiveConsumer;
  private int nextConsumer;

  /** Next offset to read from the log into the window; equals tail when nothing waits on disk. */
  private long diskCursor;

  /** Offset the next published message gets. */
  private long tail;

  /** Every offset below it is acked (or transient from a past run). */
  private long floor;

  private long recoveredEnd;
  private long recoveredDeliveredUpTo;
  private long ready;

  /** Body bytes of the ready messages (x-max-length-bytes counts these, as RabbitMQ). */
  private long readyBytes;

  /**
   * When the queue was last used (declared, got from, left by its last consumer), for x-expires.
   */
  private long lastUsed;

  private boolean deleted;
  private final QueueFlow flow = new QueueFlow();

  /** A message waiting for delivery or an ack. */
  private record Ready(long offset, Message message, boolean redelivered, int size) {}

  Queue(
      String vhost,
      String name,
      QueueOptions options,
      Log log,
      AckLog acks,
      DeadLetterSink deadLetters) {
    this.vhost = vhost;
    this.name = name;
    this.options = options;
    Map<String, Object> args = options.arguments();
    this.messageTtl = longArgument(args, "x-message-ttl");
    this.log = log;
    this.acks = acks;
    this.deadLetters = deadLetters;
    this.deadLettering = args.get("x-dead-letter-exchange") instanceof String;
    this.maxLength = longArgument(args, "x-max-length");
    this.maxLengthBytes = longArgument(args, "x-max-length-bytes");
    this.overflow = String.valueOf(args.getOrDefault("x-overflow", "drop-head"));
    this.expires = longArgument(args, "x-expires");
    this.singleActiveConsumer = Boolean.TRUE.equals(args.get("x-single-active-consumer"));
    this.lastUsed = System.currentTimeMillis();
  }

  private static long longArgument(Map<String, Object> args, String key) {
    return args.get(key) instanceof Number n ? n.longValue() : -1;
  }

  /** Rebuilds the queue's state from its log (and ack log, for durable queues). */
  synchronized void recover() throws IOException {
    floor = log.startOffset();
    tail = log.endOffset();
    diskCursor = floor;
    recoveredEnd = tail;
    if (acks != null) {
      AckLog.Recovered recovered = acks.recover(floor);
      ackedAboveFloor.addAll(recovered.acked());
      recoveredDeliveredUpTo = recovered.deliveredUpTo();
    }
    ready = Math.max(0, tail - floor - ackedAboveFloor.size());
    if (maxLengthBytes >= 0) {
      readyBytes = recoverReadyBytes();
    }
    advanceFloor();
  }

  /** Sums the bodies of the messages left after a restart (only a byte-limited queue needs it). */
  private long recoverReadyBytes() throws IOException {
    long bytes = 0;
    for (long offset = floor; offset < tail; ) {
      List<Ready> loaded = readFromLog(offset, 1 << 20);
      if (loaded.isEmpty()) {
        break;
      }
      for (Ready entry : loaded) {
        if (entry.offset() >= floor && !ackedAboveFloor.contains(entry.offset())) {
          bytes += entry.message().body().length;
        }
      }
      offset = loaded.get(loaded.size() - 1).offset() + 1;
    }
    return bytes;
  }

  public String vhost() {
    return vhost;
  }

  @Override
  public String name() {
    return name;
  }

  public QueueOptions options() {
    return options;
  }

  public synchronized long messageCount() {
    return ready;
  }

  public synchronized int consumerCount() {
    return consumers.size();
  }

  /**
   * Enqueues a message. The future completes when the message is as safe as it must be before a
   * publisher confirm: on disk for a persistent message in a durable queue, at once otherwise. It
   * fails with {@link PublishRejectedException} when the queue is full and its x-overflow is
   * reject-publish or reject-publish-dlx (then the message is dead-lettered, reason maxlen); with
   * drop-head (the default) the oldest ready messages make room instead, dead-lettered likewise.
   */
  public CompletableFuture<Void> publish(Message published) {
    long now = System.currentTimeMillis();
    Message message = messageTtl < 0 ? published : published.expiringBy(now + messageTtl);
    CompletableFuture<AppendResult> appended;
    synchronized (this) {
      if (deleted) {
        return CompletableFuture.completedFuture(null);
      }
      if (!overflow.equals("drop-head") && wouldOverflow(message)) {
        if (overflow.equals("reject-publish-dlx") && deadLettering) {
          deadLetters.onDeadLettered(this, message, DeathReason.MAXLEN);
        }
        return CompletableFuture.failedFuture(new PublishRejectedException(toString()));
      }
      long offset = tail;
      appended = log.append(MessageRecord.encode(message, now));
      if (appended.isCompletedExceptionally()) {
        return appended.thenApply(r -> null);
      }
      tail = offset + 1;
      ready++;
      readyBytes += message.body().length;
      Ready entry =
          new Ready(offset, message, false, message.body().length + message.properties().length);
      if (diskCursor == offset && windowHasRoom()) {
        addToWindow(entry);
        diskCursor = tail;
      }
      dispatch();
      dropHeadWhileOverLimit();
      if (diskCursor < tail) {
        appended.thenRun(this::dispatch);
      }
      flow.onPublished(ready, !consumers.isEmpty());
    }
    if (options.durable() && message.persistent()) {
      return appended.thenApply(r -> null);
    }
    return CompletableFuture.completedFuture(null);
  }

  /** Whether one more message would take the ready messages past x-max-length[-bytes]. */
  private boolean wouldOverflow(Message message) {
    return (maxLength >= 0 && ready + 1 > maxLength)
        || (maxLengthBytes >= 0 && readyBytes + message.body().length > maxLengthBytes);
  }

  /** drop-head: the oldest ready messages go (dead-lettered, reason maxlen) until within limits. */
  private void dropHeadWhileOverLimit() {
    while ((maxLength >= 0 && ready > maxLength)
        || (maxLengthBytes >= 0 && readyBytes > maxLengthBytes)) {
      Ready head = takeNextReady();
      if (head == null) {
        return;
      }
      drop(head, DeathReason.MAXLEN);
    }
  }

  /** A ready message leaves the queue without a delivery: dead-lettered if the queue has a DLX. */
  private void drop(Ready entry, DeathReason reason) {
    onAcked(entry.offset());
    if (deadLettering) {
      deadLetters.onDeadLettered(this, entry.message(), reason);
    }
  }

  private boolean windowHasRoom() {
    return window.size() < WINDOW_MESSAGES && windowBytes < WINDOW_BYTES;
  }

  private void addToWindow(Ready entry) {
    window.addLast(entry);
    windowBytes += entry.size();
  }

  public synchronized void addConsumer(QueueConsumer consumer) {
    consumers.add(consumer);
    dispatch();
  }

  /**
   * Adds a consumer unless exclusivity forbids it: an exclusive consumer needs a queue without
   * consumers, and no consumer may join one that has an exclusive consumer.
   *
   * @return false, adding nothing, when exclusivity forbids it
   */
  @Override
  public synchronized boolean tryAddConsumer(QueueConsumer consumer, boolean exclusive) {
    if (exclusiveConsumer != null || (exclusive && !consumers.isEmpty())) {
      return false;
    }
    if (exclusive) {
      exclusiveConsumer = consumer;
    }
    addConsumer(consumer);
    return true;
  }

  /**
   * Removes a consumer; its unacked deliveries stay unacked until acked or requeued. With a single
   * active consumer, the next one in order of arrival takes over.
   */
  @Override
  public synchronized void removeConsumer(QueueConsumer consumer) {
    boolean wasActive = !consumers.isEmpty() && consumers.get(0) == consumer;
    consumers.remove(consumer);
    if (exclusiveConsumer == consumer) {
      exclusiveConsumer = null;
    }
    if (consumers.isEmpty()) {
      flow.relieve();
      lastUsed = System.currentTimeMillis();
    } else if (singleActiveConsumer && wasActive) {
      dispatch();
    }
  }

  /** Pushes messages to consumers with capacity. Call when a consumer regains capacity. */
  @Override
  public synchronized void dispatch() {
    while (!consumers.isEmpty() && !deleted) {
      QueueConsumer consumer = nextConsumerWithCapacity();
      if (consumer == null) {
        return;
      }
      Ready next = takeNext();
      if (next == null) {
        return;
      }
      deliverTo(consumer, next);
    }
  }

  private void deliverTo(QueueConsumer consumer, Ready next) {
    flow.onDelivered();
    if (consumer.autoAck()) {
      onAcked(next.offset());
    } else {
      unacked.put(next.offset(), next);
    }
    consumer.deliver(new Delivery(this, next.offset(), next.message(), next.redelivered(), ready));
  }

  private QueueConsumer nextConsumerWithCapacity() {
    if (singleActiveConsumer) {
      QueueConsumer active = consumers.get(0);
      return active.hasCapacity() ? active : null;
    }
    int best = Integer.MIN_VALUE;
    QueueConsumer chosen = null;
    int size = consumers.size();
    for (int i = 0; i < size; i++) {
      int index = (nextConsumer + i) % size;
      QueueConsumer candidate = consumers.get(index);
      if (candidate.priority() > best && candidate.hasCapacity()) {
        best = candidate.priority();
        chosen = candidate;
        nextConsumer = index + 1;
      }
    }
    return chosen;
  }

  /** basic.get: the next ready message, or null. */
  public synchronized Delivery get(boolean autoAck) {
    lastUsed = System.currentTimeMillis();
    Ready next = takeNext();
    if (next == null) {
      return null;
    }
    if (autoAck) {
      onAcked(next.offset());
    } else {
      unacked.put(next.offset(), next);
    }
    return new Delivery(this, next.offset(), next.message(), next.redelivered(), ready);
  }

  /**
   * The next ready message, dropping the expired ones met on the way: messages expire when they
   * reach the head of the queue, as RabbitMQ's do, and are dead-lettered if the queue has a DLX.
   */
  private Ready takeNext() {
    long now = System.currentTimeMillis();
    while (true) {
      Ready next = takeNextReady();
      if (next == null || !next.message().isExpired(now)) {
        return next;
      }
      drop(next, DeathReason.EXPIRED);
    }
  }

  /** Drops expired messages at the head while the head is in memory; called periodically. */
  public synchronized void dropExpired() {
    long now = System.currentTimeMillis();
    while (!deleted) {
      Ready head = requeued.isEmpty() ? window.peekFirst() : requeued.firstEntry().getValue();
      if (head == null || !head.message().isExpired(now)) {
        return;
      }
      drop(takeNextReady(), DeathReason.EXPIRED);
    }
  }

  private Ready takeNextReady() {
    Map.Entry<Long, Ready> first = requeued.pollFirstEntry();
    if (first != null) {
      ready--;
      readyBytes -= first.getValue().message().body().length;
      flow.onTaken(ready);
      return first.getValue();
    }
    if (window.isEmpty() && diskCursor < tail) {
      fillWindow();
    }
    Ready next = window.pollFirst();
    if (next != null) {
      windowBytes -= next.size();
      ready--;
      readyBytes -= next.message().body().length;
      flow.onTaken(ready);
      if (acks != null) {
        acks.onDelivered(next.offset());
      }
    }
    return next;
  }

  private void fillWindow() {
    try {
      while (diskCursor < tail && windowHasRoom()) {
        if (diskCursor >= log.highWatermark()) {
          log.requestFlush();
          return;
        }
        List<Ready> loaded = readFromLog(diskCursor, 1 << 20);
        if (loaded.isEmpty()) {
          return;
        }
        for (Ready entry : loaded) {
          if (entry.offset() < diskCursor || entry.offset() < floor) {
            continue;
          }
          if (ackedAboveFloor.contains(entry.offset())) {
            continue;
          }
          if (isTransientFromPastRun(entry)) {
            ready--;
            readyBytes -= entry.message().body().length;
            onAcked(entry.offset());
          } else {
            addToWindow(entry);
          }
        }
        diskCursor = loaded.get(loaded.size() - 1).offset() + 1;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading queue " + name, e);
    }
  }

  /** Transient messages, and every message of a non-durable queue, do not outlive a restart. */
  private boolean isTransientFromPastRun(Ready entry) {
    return entry.offset() < recoveredEnd && !(options.durable() && entry.message().persistent());
  }

  private List<Ready> readFromLog(long offset, int maxBytes) throws IOException {
    FileSlice slice = log.read(Math.max(offset, log.startOffset()), maxBytes, true);
    List<Ready> loaded = new ArrayList<>();
    if (slice.isEmpty()) {
      return loaded;
    }
    long pastRunEnd = Math.min(recoveredEnd, recoveredDeliveredUpTo);
    RecordReader.forEach(
        slice.readAll(),
        record -> {
          Message message = MessageRecord.decode(record);
          boolean redelivered = record.offset() < pastRunEnd;
          loaded.add(
              new Ready(
                  record.offset(),
                  message,
                  redelivered,
                  message.body().length + message.properties().length));
        });
    return loaded;
  }

  /**
   * Null while publishers may go on; else a future that completes once this queue's consumers have
   * caught up, for the protocol edge to hold its publishers back until then ({@link QueueFlow}).
   */
  public CompletableFuture<Void> congestion() {
    return flow.congestion();
  }

  /** Acknowledges a delivered message. Returns false when it was not unacked here. */
  @Override
  public synchronized boolean ack(long offset) {
    if (unacked.remove(offset) == null) {
      return false;
    }
    if (deleted) {
      return true;
    }
    onAcked(offset);
    return true;
  }

  /**
   * Rejects a delivered message without requeueing it (basic.reject or basic.nack, requeue=false):
   * it is dead-lettered, reason rejected, if the queue has a DLX, else dropped. Returns false when
   * it was not unacked here.
   */
  @Override
  public synchronized boolean reject(long offset) {
    Ready entry = unacked.remove(offset);
    if (entry == null) {
      return false;
    }
    if (!deleted) {
      onAcked(offset);
      if (deadLettering) {
        deadLetters.onDeadLettered(this, entry.message(), DeathReason.REJECTED);
      }
    }
    return true;
  }

  /** Returns an unacked message to the queue, marked redelivered; false if it was not unacked. */
  @Override
  public synchronized boolean requeue(long offset) {
    Ready entry = unacked.remove(offset);
    if (entry == null) {
      return false;
    }
    if (deleted) {
      return true;
    }
    requeued.put(offset, new Ready(offset, entry.message(), true, entry.size()));
    ready++;
    readyBytes += entry.message().body().length;
    dispatch();
    return true;
  }

  private void onAcked(long offset) {
    if (acks != null) {
      acks.onAcked(offset);
    }
    if (offset == floor) {
      floor++;
      advanceFloor();
    } else {
      ackedAboveFloor.add(offset);
    }
  }

  /** Moves the floor over acked offsets and lets the log drop what lies below it. */
  private void advanceFloor() {
    while (!ackedAboveFloor.isEmpty() && ackedAboveFloor.first() <= floor) {
      if (ackedAboveFloor.pollFirst() == floor) {
        floor++;
      }
    }
    // Every message still held (ready in the window, requeued, unacked) is unacked, so at or above
    // the floor: the floor alone bounds what the log must keep, without a scan per ack.
    long lowestUnfinished = Math.min(floor, diskCursor);
    if (lowestUnfinished - log.startOffset() > 4096 && lowestUnfinished <= log.highWatermark()) {
      try {
        if (acks != null) {
          acks.flush();
          acks.trim(lowestUnfinished);
        }
        log.deleteRecordsBefore(lowestUnfinished);
      } catch (IOException e) {
        LOG.warn("trimming queue {} failed: {}", name, e.toString());
      }
    }
  }

  /** Removes every ready message; returns how many. Unacked messages stay. */
  public synchronized long purge() {
    long purged = ready;
    for (Ready entry : window) {
      onAcked(entry.offset());
    }
    for (Ready entry : requeued.values()) {
      onAcked(entry.offset());
    }
    window.clear();
    windowBytes = 0;
    requeued.clear();
    for (long offset = diskCursor; offset < tail; offset++) {
      if (!ackedAboveFloor.contains(offset)) {
        onAcked(offset);
      }
    }
    diskCursor = tail;
    ready = 0;
    readyBytes = 0;
    flow.relieve();
    return purged;
  }

  /** A declaration or basic.get used the queue: x-expires counts from now. */
  public synchronized void touch() {
    lastUsed = System.currentTimeMillis();
  }

  /** Whether x-expires has passed since the queue was last used, without consumers meanwhile. */
  public synchronized boolean isUnusedSince(long nowMillis) {
    return expires >= 0 && !deleted && consumers.isEmpty() && nowMillis - lastUsed >= expires;
  }

  /** Body bytes of the ready messages. */
  public synchronized long readyBytes() {
    return readyBytes;
  }

  /** Writes buffered acks; called periodically and at close. */
  public synchronized void flushAcks() {
    if (acks != null) {
      acks.flush();
    }
  }

  /** Marks the queue deleted and detaches its consumers; returns them. */
  synchronized List<QueueConsumer> markDeleted() {
    deleted = true;
    flow.relieve();
    List<QueueConsumer> detached = new ArrayList<>(consumers);
    consumers.clear();
    exclusiveConsumer = null;
    return detached;
  }

  synchronized List<QueueConsumer> consumers() {
    return new ArrayList<>(consumers);
  }

  /** The queue's log, for inspection (size, offsets, policy); appends go through the queue. */
  public Log log() {
    return log;
  }

  @Override
  public String toString() {
    return "queue '" + name + "' in vhost '" + vhost + "'";
  }
}
