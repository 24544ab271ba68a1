package dev.tandem.core.delay;

import dev.tandem.core.queue.AckLog;
import dev.tandem.core.queue.Message;
import dev.tandem.core.queue.MessageRecord;
import dev.tandem.storage.LogDirectory;
import dev.tandem.storage.log.AppendResult;
import dev.tandem.storage.log.Durability;
import dev.tandem.storage.log.FileSlice;
import dev.tandem.storage.log.Log;
import dev.tandem.storage.log.LogConfig;
import dev.tandem.storage.log.LogScheduler;
import dev.tandem.storage.record.LogRecord;
import dev.tandem.storage.record.RecordReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages one vhost holds until they are due (delayed delivery), durable across restarts.
 *
 * <pre>
 *   logs/delayed.VHOST-HASH            held messages, one record per batch (see HeldRecord),
 *                                      under the broker's durability policy (fsync by default)
 *   logs/delayed.VHOST-HASH.released   offsets of released messages, in AckLog's format
 *                                      (buffered, page cache)
 * </pre>
 *
 * <p>Memory holds only (due time, offset) per held message; the message is read back from the log
 * when it is due. One timer task, on the data directory's timer thread, waits for the earliest due
 * time, takes up to {@value #RELEASE_BATCH} due messages, in due order (publish order for equal
 * times), and hands each to the {@link ReleaseSink}. Once the sink says the message is safely
 * stored where it went (or dropped), its offset is recorded as released; the log start moves up to
 * the lowest offset still held, so disk use follows the held messages (whole segments go).
 *
 * <p>Guarantees: a hold of a persistent message completes once it is as safe as the log's policy
 * makes it (on disk, under fsync); a transient one completes at once and is not kept across a
 * restart, as a transient message in a durable queue is not. A message is released no earlier than
 * its due time; one that fell due while the broker was down is released right after start. At least
 * once: a crash after a release but before its record reaches the page cache releases it again at
 * the next start. One attempt per message, as the plugin makes: a target gone or a queue that
 * refuses it drops it (counted, {@link #dropped()}).
 *
 * <p>Thread-safe: one monitor guards the index and the released log; it is never held while the
 * sink runs or a message is read back.
 */
public final class DelayedMessages {
  private static final Logger LOG = LoggerFactory.getLogger(DelayedMessages.class);

  /** Most messages released by one timer run; the rest follow in the next, at once. */
  static final int RELEASE_BATCH = 1000;

  /** How far the released prefix may run ahead of the log start before the log is trimmed. */
  static final long TRIM_AFTER = 1024;

  private static final LogConfig HELD =
      LogConfig.DEFAULT
          .withSegmentBytes(16 * 1024 * 1024)
          .withRetention(-1, -1)
          .withMaxBatchBytes(Integer.MAX_VALUE / 2);
  private static final LogConfig RELEASED =
      LogConfig.DEFAULT
          .withSegmentBytes(4 * 1024 * 1024)
          .withRetention(-1, -1)
          .withDurability(Durability.NEVER);

  private final Log log;
  private final AckLog released;
  private final LogScheduler scheduler;
  private final long trimAfter;
  private final PriorityQueue<Due> due = new PriorityQueue<>();

  /** Offsets appended and not yet recorded as released: the log must keep everything from here. */
  private final TreeSet<Long> unreleased = new TreeSet<>();

  private ReleaseSink sink;
  private ScheduledFuture<?> timer;
  private long timerDueAt = Long.MAX_VALUE;
  private boolean flushScheduled;
  private boolean closed;
  private long releasedCount;
  private long droppedCount;

  /** A held message in the index, ordered by due time, then offset. */
  private record Due(long dueAt, long offset) implements Comparable<Due> {
    @Override
    public int compareTo(Due other) {
      int byTime = Long.compare(dueAt, other.dueAt);
      return byTime != 0 ? byTime : Long.compare(offset, other.offset);
    }
  }

  private DelayedMessages(Log log, AckLog released, LogScheduler scheduler, long trimAfter) {
    this.log = log;
    this.released = released;
    this.scheduler = scheduler;
    this.trimAfter = trimAfter;
  }

  /**
   * Opens the store of {@code vhost} and rebuilds its index from the log; nothing is released
   * before {@link #start}.
   *
   * @param durability the policy held messages are appended under (the broker's log.durability)
   */
  public static DelayedMessages open(LogDirectory directory, String vhost, Durability durability)
      throws IOException {
    return open(directory, vhost, durability, TRIM_AFTER);
  }

  static DelayedMessages open(
      LogDirectory directory, String vhost, Durability durability, long trimAfter)
      throws IOException {
    String name = logName(vhost);
    Log log = directory.openLog(name, HELD.withDurability(durability));
    AckLog released = new AckLog(directory.openLog(name + ".released", RELEASED));
    DelayedMessages store = new DelayedMessages(log, released, directory.scheduler(), trimAfter);
    store.recover();
    return store;
  }

  static String logName(String vhost) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(vhost.getBytes(StandardCharsets.UTF_8));
      return "delayed." + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Indexes every persistent message not yet released; transient ones from a past run are gone. */
  private synchronized void recover() throws IOException {
    Set<Long> done = released.recover(log.startOffset()).acked();
    long offset = log.startOffset();
    while (offset < log.highWatermark()) {
      FileSlice slice = log.read(offset, 1 << 20, true);
      if (slice.isEmpty()) {
        break;
      }
      long[] next = {offset};
      RecordReader.forEach(
          slice.readAll(),
          record -> {
            next[0] = record.offset() + 1;
            if (!done.contains(record.offset()) && MessageRecord.decode(record).persistent()) {
              due.add(new Due(HeldRecord.dueAt(record), record.offset()));
              unreleased.add(record.offset());
            }
          });
      offset = next[0];
    }
    maybeTrim(true);
  }

  /** Starts releasing to {@code sink}: at once what is overdue, the rest when due. */
  public synchronized void start(ReleaseSink sink) {
    this.sink = sink;
    maybeArm();
  }

  /**
   * Holds a message until {@code dueAt} (epoch milliseconds; one already past goes at once).
   *
   * @return completes when the message is held as safely as a publisher confirm requires: for a
   *     persistent message once the append is durable under the log's policy, for a transient one
   *     at once; fails if the append fails
   */
  public CompletableFuture<Void> hold(DelayTarget target, Message message, long dueAt) {
    ByteBuffer batch = HeldRecord.encode(target, message, dueAt, scheduler.now());
    long offset;
    CompletableFuture<AppendResult> appended;
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException("delayed store closed"));
      }
      offset = log.endOffset();
      appended = log.append(batch);
      if (appended.isCompletedExceptionally()) {
        return appended.thenApply(r -> null);
      }
      unreleased.add(offset);
    }
    CompletableFuture<Void> indexed =
        appended.handle(
            (result, failure) -> {
              if (failure != null) {
                onLost(offset);
                throw new CompletionException(failure);
              }
              onHeld(new Due(dueAt, offset));
              return null;
            });
    return message.persistent() ? indexed : CompletableFuture.completedFuture(null);
  }

  private synchronized void onHeld(Due held) {
    if (!closed) {
      due.add(held);
      maybeArm();
    }
  }

  private synchronized void onLost(long offset) {
    unreleased.remove(offset);
  }

  /** Messages held and not yet released. */
  public synchronized int held() {
    return due.size();
  }

  /** Messages released to a target that took them. */
  public synchronized long released() {
    return releasedCount;
  }

  /** Messages released to nowhere: target gone, routed nowhere, refused, or unreadable. */
  public synchronized long dropped() {
    return droppedCount;
  }

  /** The held messages' log (for tests and metrics). */
  Log log() {
    return log;
  }

  /** Arms the timer for the earliest due time, unless it already fires by then. */
  private void maybeArm() {
    if (sink == null || closed || due.isEmpty()) {
      return;
    }
    long next = due.peek().dueAt();
    if (timer != null && timerDueAt <= next) {
      return;
    }
    if (timer != null) {
      timer.cancel(false);
    }
    timerDueAt = next;
    timer = scheduler.schedule(this::releaseDue, Math.max(0, next - scheduler.now()));
  }

  private void releaseDue() {
    List<Due> ready = new ArrayList<>();
    ReleaseSink target;
    synchronized (this) {
      timer = null;
      timerDueAt = Long.MAX_VALUE;
      if (closed) {
        return;
      }
      long now = scheduler.now();
      while (!due.isEmpty() && due.peek().dueAt() <= now && ready.size() < RELEASE_BATCH) {
        ready.add(due.poll());
      }
      target = sink;
    }
    for (Due entry : ready) {
      release(target, entry.offset());
    }
    synchronized (this) {
      maybeArm();
    }
  }

  private void release(ReleaseSink target, long offset) {
    CompletableFuture<Boolean> outcome;
    try {
      HeldRecord.Held held = HeldRecord.decode(read(offset));
      outcome = target.onDue(held.target(), held.message());
    } catch (IOException | RuntimeException e) {
      outcome = CompletableFuture.failedFuture(e);
    }
    outcome.whenComplete(
        (reached, failure) -> onReleased(offset, failure == null && Boolean.TRUE.equals(reached)));
  }

  private LogRecord read(long offset) throws IOException {
    LogRecord[] found = {null};
    RecordReader.forEach(
        log.read(offset, 1, true).readAll(),
        record -> {
          if (record.offset() == offset) {
            found[0] = record;
          }
        });
    if (found[0] == null) {
      throw new IOException("no held message at offset " + offset + " of " + log);
    }
    return found[0];
  }

  private synchronized void onReleased(long offset, boolean reached) {
    if (reached) {
      releasedCount++;
    } else {
      droppedCount++;
    }
    if (closed) {
      return;
    }
    released.onAcked(offset);
    unreleased.remove(offset);
    if (!flushScheduled) {
      flushScheduled = true;
      scheduler.schedule(this::flushReleased, 0);
    }
  }

  private synchronized void flushReleased() {
    flushScheduled = false;
    if (!closed) {
      released.flush();
      maybeTrim(false);
    }
  }

  /**
   * Moves the log start up to the lowest offset still held (the high watermark when none is), once
   * it is {@code trimAfter} past the start or when {@code force}d; the released log drops the
   * records that only name offsets below it.
   */
  private void maybeTrim(boolean force) {
    long floor = unreleased.isEmpty() ? log.highWatermark() : unreleased.first();
    floor = Math.min(floor, log.highWatermark());
    long start = log.startOffset();
    if (floor <= start || (!force && floor - start < trimAfter)) {
      return;
    }
    try {
      released.flush();
      released.trim(floor);
      log.deleteRecordsBefore(floor);
    } catch (IOException e) {
      LOG.warn("trimming {} failed: {}", log, e.toString());
    }
  }

  /**
   * Stops releasing and writes the released records; held messages stay in the log for the next
   * start, and releases still in flight are released again then. Call before the data directory
   * closes.
   */
  public synchronized void close() {
    if (closed) {
      return;
    }
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    released.flush();
    maybeTrim(true);
    closed = true;
  }
}
