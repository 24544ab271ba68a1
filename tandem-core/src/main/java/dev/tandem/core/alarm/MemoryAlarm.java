package dev.tandem.core.alarm;

import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RabbitMQ's memory alarm ({@code vm_memory_high_watermark}), for a JVM: raised while the heap in
 * use after garbage collection is above a fraction of the maximum heap (default {@value
 * #DEFAULT_WATERMARK}, RabbitMQ's relative default), cleared once it is back at or below it.
 *
 * <p>The heap in use is read from the most recent collection (what survived it), not from the live
 * counter, which also counts garbage not yet collected. After a young collection that figure still
 * counts old garbage, so before it raises the alarm the check confirms it with a full collection;
 * while the figure stays above the watermark (a raised alarm on a quiet broker sees no collection
 * of its own) that full collection runs at most every {@value #CONFIRM_SECONDS} s. A watermark of 0
 * blocks every publisher, as in RabbitMQ.
 *
 * <p>Thread-safe.
 */
public final class MemoryAlarm extends ResourceAlarm {
  private static final Logger LOG = LoggerFactory.getLogger(MemoryAlarm.class);

  /** RabbitMQ's default vm_memory_high_watermark.relative. */
  public static final double DEFAULT_WATERMARK = 0.6;

  private static final long CONFIRM_SECONDS = 5;

  private final long maxHeap = Runtime.getRuntime().maxMemory();
  private final Set<String> heapPools =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(pool -> pool.getType() == MemoryType.HEAP)
          .map(MemoryPoolMXBean::getName)
          .collect(Collectors.toUnmodifiableSet());
  private final List<GarbageCollectorMXBean> collectors =
      ManagementFactory.getGarbageCollectorMXBeans();
  private volatile double watermark = DEFAULT_WATERMARK;
  private volatile long used;
  private long confirmedAt = System.nanoTime() - TimeUnit.SECONDS.toNanos(CONFIRM_SECONDS);

  public MemoryAlarm() {
    super("low on memory");
  }

  /** Sets the watermark, a fraction of the maximum heap from 0 to 1, and checks at once. */
  public void watermark(double fraction) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("memory high watermark " + fraction);
    }
    watermark = fraction;
    check();
  }

  public double watermark() {
    return watermark;
  }

  /** The heap in use after the most recent collection, in bytes, as of the last check. */
  public long used() {
    return used;
  }

  /** The heap in use above which the alarm is raised, in bytes. */
  public long limit() {
    return (long) (watermark * maxHeap);
  }

  @Override
  public synchronized void check() {
    long limit = limit();
    long now = afterLastCollection();
    if (now > limit
        && System.nanoTime() - confirmedAt >= TimeUnit.SECONDS.toNanos(CONFIRM_SECONDS)) {
      confirmedAt = System.nanoTime();
      now = afterFullCollection();
    }
    used = now;
    if (now > limit) {
      if (raise()) {
        LOG.warn(
            "memory alarm: {} bytes of heap in use after collection, above the watermark of {}"
                + " ({} of {}); publishers are blocked",
            now,
            limit,
            watermark,
            maxHeap);
      }
    } else if (clear()) {
      LOG.info("memory alarm cleared: {} bytes of heap in use after collection", now);
    }
  }

  private long afterFullCollection() {
    System.gc();
    return afterLastCollection();
  }

  /** The heap in use after the most recent collection; the heap in use now if none ran yet. */
  private long afterLastCollection() {
    GcInfo latest = null;
    for (GarbageCollectorMXBean collector : collectors) {
      if (collector instanceof com.sun.management.GarbageCollectorMXBean c) {
        GcInfo info = c.getLastGcInfo();
        if (info != null && (latest == null || info.getEndTime() > latest.getEndTime())) {
          latest = info;
        }
      }
    }
    if (latest == null) {
      return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
    long sum = 0;
    for (Map.Entry<String, MemoryUsage> pool : latest.getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(pool.getKey())) {
        sum += pool.getValue().getUsed();
      }
    }
    return sum;
  }
}
