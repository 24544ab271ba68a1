package dev.tandem.core.queue;

import dev.tandem.storage.log.AppendResult;
import dev.tandem.storage.log.FileSlice;
import dev.tandem.storage.log.Log;
import dev.tandem.storage.record.RecordReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A classic queue, backed by a log: each message is appended to the queue's log at an offset that
 * identifies it until it is acked. Ready messages are delivered in offset order, requeued ones
 * first (back at their original position, as RabbitMQ requeues); with x-max-priority, higher
 * priorities first and offset order within one. {@link ReadyMessages} keeps a bounded window of
 * them in memory; beyond it messages stay on disk and are read back when needed, so memory follows
 * in-flight messages, not queue depth. Once every message below an offset is acked, the log start
 * moves there and whole segments go.
 *
 * <p>Durable queues keep an {@link AckLog}; after a restart every message that was neither acked
 * nor transient comes back, marked redelivered if it had been delivered.
 *
 * <p>Thread-safe: every operation runs under the queue's lock; consumers are called under it.
 */
public final class Queue implements MessageSource {
  private static final Logger LOG = LoggerFactory.getLogger(Queue.class);
  private static final int READ_BYTES = 1 << 20;

  private final String vhost;
  private final String name;
  private final QueueOptions options;
  // Quorum queues count returns (x-delivery-count) and may dead-letter at x-delivery-limit.
  private final boolean countsDeliveries;
  private final long deliveryLimit;
  private final Map<String, Object> arguments;
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

  private final ReadyMessages readyMessages;
  private final Map<Long, QueuedMessage> unacked = new HashMap<>();
  private final TreeSet<Long> ackedAboveFloor = new TreeSet<>();
  private final List<QueueConsumer> consumers = new ArrayList<>();
  private QueueConsumer exclusiveConsumer;
  private int nextConsumer;

  /** Offset the next published message gets. */
  private long tail;

  /** Every offset below it is acked (or transient from a past run). */
  private long floor;

  private long recoveredEnd;
  private long recoveredDeliveredUpTo;

  /** Unacked messages of the past run it delivered above its delivered mark (priority order). */
  private final TreeSet<Long> recoveredDeliveredAbove = new TreeSet<>();

  /** The last append, and the one a dispatch waits for: reading back waits for its flush. */
  private CompletableFuture<AppendResult> lastAppend;

  private CompletableFuture<AppendResult> flushAwaited;

  /** Ready messages: in memory and on disk. */
  private long ready;

  /** Body bytes of the ready messages (x-max-length-bytes counts these, as RabbitMQ). */
  private long readyBytes;

  /**
   * When the queue was last used (declared, got from, left by its last consumer), for x-expires.
   */
  private long lastUsed;

  private boolean deleted;
  private final QueueFlow flow = new QueueFlow();

  Queue(
      String vhost,
      String name,
      QueueOptions options,
      Map<String, Object> arguments,
      Log log,
      AckLog acks,
      DeadLetterSink deadLetters,
      WindowBudget budget) {
    this.vhost = vhost;
    this.name = name;
    this.options = options;
    this.arguments = Map.copyOf(arguments);
    Map<String, Object> args = this.arguments;
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
    this.countsDeliveries = "quorum".equals(args.get("x-queue-type"));
    this.deliveryLimit = countsDeliveries ? longArgument(args, "x-delivery-limit") : -1;
    this.lastUsed = System.currentTimeMillis();
    long maxPriority = longArgument(args, "x-max-priority");
    int levels = (int) Math.min(Message.MAX_PRIORITY, Math.max(0, maxPriority)) + 1;
    this.readyMessages = new ReadyMessages(levels, new LogBacking(), budget);
  }

  private Delivery delivery(QueuedMessage next) {
    return new Delivery(
        this,
        next.offset(),
        next.message(),
        next.redelivered(),
        ready,
        countsDeliveries ? next.returns() : -1);
  }

  private static long longArgument(Map<String, Object> args, String key) {
    return args.get(key) instanceof Number n ? n.longValue() : -1;
  }

  /** Rebuilds the queue's state from its log (and ack log, for durable queues). */
  synchronized void recover() throws IOException {
    floor = log.startOffset();
    tail = log.endOffset();
    recoveredEnd = tail;
    if (acks != null) {
      AckLog.Recovered recovered = acks.recover(floor);
      // An ack of an offset the log lost (unflushed when it crashed) is for a message that is gone.
      ackedAboveFloor.addAll(recovered.acked().headSet(tail));
      recoveredDeliveredUpTo = recovered.deliveredUpTo();
      recoveredDeliveredAbove.addAll(recovered.deliveredAbove().headSet(tail));
      recoveredDeliveredAbove.removeAll(ackedAboveFloor);
    }
    ready = Math.max(0, tail - floor - ackedAboveFloor.size());
    readyMessages.recover(tail);
    boolean prioritized = readyMessages.levels() > 1;
    if (!prioritized) {
      readyMessages.recoverOnDisk(floor, ready);
    }
    if (prioritized || maxLengthBytes >= 0) {
      readBacklog(prioritized);
    }
    advanceFloor();
  }

  /**
   * Reads what a restart left: the bodies' size (a byte-limited queue needs it) and, with
   * priorities, where each level's messages are; transient messages are dropped on the way.
   */
  private void readBacklog(boolean prioritized) throws IOException {
    for (long offset = floor; offset < tail; ) {
      List<QueuedMessage> loaded = readFromLog(offset);
      if (loaded.isEmpty()) {
        break;
      }
      for (QueuedMessage entry : loaded) {
        if (entry.offset() < offset || isGone(entry.offset())) {
          continue;
        }
        if (prioritized && isTransientFromPastRun(entry)) {
          ready--;
          onAcked(entry.offset());
          continue;
        }
        readyBytes += entry.message().body().length;
        if (prioritized) {
          readyMessages.recoverOnDisk(entry);
        }
      }
      offset = loaded.get(loaded.size() - 1).offset() + 1;
    }
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

  /** The x-arguments it runs with: those it was declared with and what a policy adds. */
  public Map<String, Object> arguments() {
    return arguments;
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
   * drop-head (the default) the messages at the head make room instead, dead-lettered likewise.
   */
  public CompletableFuture<Void> publish(Message published) {
    return publish(published, null);
  }

  /**
   * Enqueues a message that {@code shared} may have encoded already for another queue (or null).
   */
  public CompletableFuture<Void> publish(Message published, MessageRecord.Shared shared) {
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
      appended =
          log.append(
              shared == null ? MessageRecord.encode(message, now) : shared.encode(message, now));
      if (appended.isCompletedExceptionally()) {
        return appended.thenApply(r -> null);
      }
      tail = offset + 1;
      lastAppend = appended;
      ready++;
      readyBytes += message.body().length;
      if (!readyMessages.offer(new QueuedMessage(offset, message, false))) {
        flushAwaited = appended;
        appended.thenRun(this::dispatch);
      }
      dispatch();
      dropHeadWhileOverLimit();
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

  /**
   * drop-head: the ready messages at the head go (dead-lettered, reason maxlen) until within
   * limits. The head is the next message to deliver, so with priorities the highest first, as
   * RabbitMQ.
   */
  private void dropHeadWhileOverLimit() {
    while ((maxLength >= 0 && ready > maxLength)
        || (maxLengthBytes >= 0 && readyBytes > maxLengthBytes)) {
      QueuedMessage head = takeNextReady();
      if (head == null) {
        return;
      }
      drop(head, DeathReason.MAXLEN);
    }
  }

  /** A ready message leaves the queue without a delivery: dead-lettered if the queue has a DLX. */
  private void drop(QueuedMessage entry, DeathReason reason) {
    onAcked(entry.offset());
    if (deadLettering) {
      deadLetters.onDeadLettered(this, entry.message(), reason);
    }
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
      QueuedMessage next = takeNext();
      if (next == null) {
        return;
      }
      deliverTo(consumer, next);
    }
  }

  private void deliverTo(QueueConsumer consumer, QueuedMessage next) {
    flow.onDelivered();
    if (consumer.autoAck()) {
      onAcked(next.offset());
    } else {
      unacked.put(next.offset(), next);
    }
    consumer.deliver(delivery(next));
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
    QueuedMessage next = takeNext();
    if (next == null) {
      return null;
    }
    if (autoAck) {
      onAcked(next.offset());
    } else {
      unacked.put(next.offset(), next);
    }
    return delivery(next);
  }

  /**
   * The next ready message, dropping the expired ones met on the way: messages expire when they
   * reach the head of the queue, as RabbitMQ's do, and are dead-lettered if the queue has a DLX.
   */
  private QueuedMessage takeNext() {
    long now = System.currentTimeMillis();
    while (true) {
      QueuedMessage next = takeNextReady();
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
      QueuedMessage head = readyMessages.peek();
      if (head == null || !head.message().isExpired(now)) {
        return;
      }
      drop(takeNextReady(), DeathReason.EXPIRED);
    }
  }

  private QueuedMessage takeNextReady() {
    QueuedMessage next = readyMessages.poll();
    if (next != null) {
      ready--;
      readyBytes -= next.message().body().length;
      flow.onTaken(ready);
      if (acks != null) {
        long undelivered = Math.min(tail, readyMessages.undeliveredFrom());
        acks.onDelivered(undelivered - 1);
        if (next.offset() >= undelivered && !next.redelivered()) {
          acks.onDeliveredAbove(next.offset());
        }
      }
    }
    return next;
  }

  /** Transient messages, and every message of a non-durable queue, do not outlive a restart. */
  private boolean isTransientFromPastRun(QueuedMessage entry) {
    return entry.offset() < recoveredEnd && !(options.durable() && entry.message().persistent());
  }

  private boolean isGone(long offset) {
    return offset < floor || (!ackedAboveFloor.isEmpty() && ackedAboveFloor.contains(offset));
  }

  private List<QueuedMessage> readFromLog(long offset) throws IOException {
    FileSlice slice = log.read(Math.max(offset, log.startOffset()), READ_BYTES, true);
    List<QueuedMessage> loaded = new ArrayList<>();
    if (slice.isEmpty()) {
      return loaded;
    }
    // Messages of the past run come back redelivered if it delivered them: below its delivered
    // mark, or named above it (a priority queue's order).
    long pastRunEnd = recoveredEnd;
    long deliveredBelow = Math.min(recoveredEnd, recoveredDeliveredUpTo);
    TreeSet<Long> deliveredAbove = recoveredDeliveredAbove;
    RecordReader.forEach(
        slice.readAll(),
        record -> {
          long at = record.offset();
          boolean redelivered =
              at < deliveredBelow
                  || (at < pastRunEnd && !deliveredAbove.isEmpty() && deliveredAbove.contains(at));
          loaded.add(new QueuedMessage(at, MessageRecord.decode(record), redelivered));
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

  /**
   * The log as {@link ReadyMessages} reads it back. It is called under the queue's lock; taking the
   * lock again (reentrant, uncontended) keeps that visible to static analysis.
   */
  private final class LogBacking implements ReadyMessages.Backing {
    @Override
    public List<QueuedMessage> read(long offset) throws IOException {
      synchronized (Queue.this) {
        if (offset >= log.highWatermark()) {
          log.requestFlush();
          dispatchAfterFlush();
          return List.of();
        }
        return readFromLog(offset);
      }
    }

    @Override
    public boolean isGone(long offset) {
      synchronized (Queue.this) {
        return Queue.this.isGone(offset);
      }
    }

    @Override
    public boolean dropIfStale(QueuedMessage message) {
      synchronized (Queue.this) {
        if (!isTransientFromPastRun(message)) {
          return false;
        }
        ready--;
        readyBytes -= message.message().body().length;
        onAcked(message.offset());
        return true;
      }
    }
  }

  /**
   * Dispatches again once the last append is flushed, so that what waits for it is read back. Not
   * at once if it is flushed already: this runs in the middle of taking a message.
   */
  private void dispatchAfterFlush() {
    if (lastAppend != null && lastAppend != flushAwaited) {
      flushAwaited = lastAppend;
      lastAppend.thenRunAsync(this::dispatch);
    }
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
    QueuedMessage entry = unacked.remove(offset);
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
    QueuedMessage entry = unacked.remove(offset);
    if (entry == null) {
      return false;
    }
    if (deleted) {
      return true;
    }
    QueuedMessage again = entry.requeued();
    if (deliveryLimit >= 0 && again.returns() > deliveryLimit) {
      onAcked(offset);
      if (deadLettering) {
        deadLetters.onDeadLettered(this, entry.message(), DeathReason.DELIVERY_LIMIT);
      }
      return true;
    }
    readyMessages.requeue(again);
    ready++;
    readyBytes += entry.message().body().length;
    dispatch();
    return true;
  }

  private void onAcked(long offset) {
    if (acks != null) {
      acks.onAcked(offset);
    }
    if (!recoveredDeliveredAbove.isEmpty()) {
      recoveredDeliveredAbove.remove(offset);
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
    // Every message still held (ready in memory, requeued, unacked) is unacked, so at or above the
    // floor: the floor and what waits on disk bound what the log must keep, without a scan per ack.
    if (floor - log.startOffset() <= 4096) {
      return;
    }
    long lowestUnfinished = Math.min(floor, readyMessages.lowestOnDisk());
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
    long onDiskFrom = readyMessages.lowestOnDisk();
    for (QueuedMessage entry : readyMessages.clear()) {
      onAcked(entry.offset());
    }
    for (long offset = onDiskFrom; offset < tail; offset++) {
      if (!isGone(offset) && !unacked.containsKey(offset)) {
        onAcked(offset);
      }
    }
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

  /**
   * Marks the queue deleted, lets go of its ready messages in memory (their share of the {@link
   * WindowBudget}) and detaches its consumers; returns them.
   */
  synchronized List<QueueConsumer> markDeleted() {
    deleted = true;
    readyMessages.clear();
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
