package dev.tandem.storage;

import dev.tandem.storage.log.Durability;
import dev.tandem.storage.log.Log;
import dev.tandem.storage.log.LogConfig;
import dev.tandem.storage.log.LogScheduler;
import dev.tandem.storage.state.StateStore;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory: every log and state store of one broker, its lock and its clean-shutdown
 * marker.
 *
 * <pre>
 *   data/
 *     .lock              held (flock) while a broker runs; holds its pid
 *     .clean-shutdown    present only between a clean close and the next open
 *     logs/NAME/         one {@link Log} per name
 *     state/NAME/        one {@link StateStore} per name
 * </pre>
 *
 * <p>The marker is removed as soon as the directory is opened, so a crash at any later point is
 * seen as unclean by the next open, which then recovers each log's unflushed tail. Logs are opened
 * on demand, so after an unclean start the marker is written at close only if every log and state
 * store on disk was opened, and thereby recovered, meanwhile.
 *
 * <p>The lock is an OS file lock (POSIX {@code fcntl} on Linux), which the kernel drops when the
 * process dies, and also when the process closes <em>any</em> descriptor of the lock file. A second
 * open in the same JVM is therefore refused before it opens the file.
 *
 * <p>Thread-safe.
 */
public final class LogDirectory implements Closeable {
  public static final String LOCK_FILE = ".lock";
  public static final String CLEAN_SHUTDOWN_FILE = ".clean-shutdown";
  private static final Logger LOG = LoggerFactory.getLogger(LogDirectory.class);
  private static final long RETENTION_CHECK_MS = 300_000;
  private static final long FLUSH_TICK_MS = 100;

  /** Real paths of the data directories this JVM holds. */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path root;
  private final Path heldPath;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final boolean wasCleanShutdown;
  private final LogScheduler scheduler;
  private final Map<String, Log> logs = new ConcurrentHashMap<>();
  private final Map<String, StateStore> stateStores = new ConcurrentHashMap<>();
  private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
  private final Map<String, Long> lastIntervalFlush = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private LogDirectory(
      Path root,
      Path heldPath,
      FileChannel lockChannel,
      FileLock lock,
      boolean clean,
      LogScheduler scheduler) {
    this.root = root;
    this.heldPath = heldPath;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.wasCleanShutdown = clean;
    this.scheduler = scheduler;
  }

  public static LogDirectory open(Path dataDir) throws IOException {
    return open(dataDir, new LogScheduler());
  }

  /**
   * Creates the directory if needed, takes its lock and notes whether the last shutdown was clean.
   *
   * @throws DataDirectoryLockedException when another broker holds the directory
   */
  public static LogDirectory open(Path dataDir, LogScheduler scheduler) throws IOException {
    Path root = dataDir.toAbsolutePath().normalize();
    Files.createDirectories(root);
    Path heldPath = root.toRealPath();
    if (!HELD.add(heldPath)) {
      throw locked(root);
    }
    try {
      return lock(root, heldPath, scheduler);
    } catch (IOException | RuntimeException e) {
      HELD.remove(heldPath);
      throw e;
    }
  }

  private static LogDirectory lock(Path root, Path heldPath, LogScheduler scheduler)
      throws IOException {
    FileChannel channel =
        FileChannel.open(
            root.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw locked(root);
    }
    channel.truncate(0);
    channel.write(
        ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)));
    Path marker = root.resolve(CLEAN_SHUTDOWN_FILE);
    boolean clean = Files.deleteIfExists(marker);
    if (clean) {
      fsyncDirectory(root);
    }
    LogDirectory directory = new LogDirectory(root, heldPath, channel, lock, clean, scheduler);
    directory.startTasks();
    return directory;
  }

  private static DataDirectoryLockedException locked(Path root) {
    return new DataDirectoryLockedException(
        "data directory "
            + root
            + " is locked by another broker ("
            + root.resolve(LOCK_FILE)
            + ")");
  }

  private void startTasks() {
    tasks.add(scheduler.every(this::applyRetention, RETENTION_CHECK_MS));
    tasks.add(scheduler.every(this::flushIntervalLogs, FLUSH_TICK_MS));
  }

  public Path root() {
    return root;
  }

  public boolean wasCleanShutdown() {
    return wasCleanShutdown;
  }

  public LogScheduler scheduler() {
    return scheduler;
  }

  /** Opens the named log, creating it if needed; later calls return the same instance. */
  public Log openLog(String name, LogConfig config) throws IOException {
    checkOpen();
    Log existing = logs.get(name);
    if (existing != null) {
      return existing;
    }
    synchronized (logs) {
      Log log = logs.get(name);
      if (log == null) {
        log = Log.open(logsRoot().resolve(checkName(name)), config, scheduler, wasCleanShutdown);
        logs.put(name, log);
      }
      return log;
    }
  }

  public Optional<Log> log(String name) {
    return Optional.ofNullable(logs.get(name));
  }

  /** Names of the logs on disk, opened or not. */
  public List<String> logNames() throws IOException {
    return children(logsRoot());
  }

  private static List<String> children(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(dir)) {
      return children
          .filter(Files::isDirectory)
          .map(p -> String.valueOf(p.getFileName()))
          .sorted()
          .toList();
    }
  }

  /** Closes and removes the named log, opened or not. */
  public void deleteLog(String name) throws IOException {
    synchronized (logs) {
      Log log = logs.remove(name);
      if (log == null) {
        Path dir = logsRoot().resolve(checkName(name));
        if (!Files.isDirectory(dir)) {
          return;
        }
        log = Log.open(dir, LogConfig.DEFAULT, scheduler, true);
      }
      log.delete();
    }
  }

  /** Opens the named state store, creating it if needed; later calls return the same instance. */
  public StateStore openStateStore(String name) throws IOException {
    checkOpen();
    synchronized (stateStores) {
      StateStore store = stateStores.get(name);
      if (store == null) {
        store =
            StateStore.open(
                root.resolve("state").resolve(checkName(name)), scheduler, wasCleanShutdown);
        stateStores.put(name, store);
      }
      return store;
    }
  }

  private Path logsRoot() {
    return root.resolve("logs");
  }

  private static String checkName(String name) {
    if (name.isEmpty()
        || name.equals(".")
        || name.equals("..")
        || name.contains("/")
        || name.contains("\0")) {
      throw new IllegalArgumentException("invalid log name '" + name + "'");
    }
    return name;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("data directory " + root + " is closed");
    }
  }

  private void applyRetention() {
    for (Log log : logs.values()) {
      try {
        log.applyRetention();
      } catch (IOException | RuntimeException e) {
        LOG.warn("retention of {} failed: {}", log.dir(), e.toString());
      }
    }
  }

  private void flushIntervalLogs() {
    long now = scheduler.now();
    for (Map.Entry<String, Log> entry : logs.entrySet()) {
      Log log = entry.getValue();
      if (log.config().durability() != Durability.INTERVAL) {
        continue;
      }
      long last = lastIntervalFlush.getOrDefault(entry.getKey(), 0L);
      if (now - last >= log.config().flushIntervalMs()) {
        lastIntervalFlush.put(entry.getKey(), now);
        log.requestFlush();
      }
    }
  }

  /**
   * Closes every log and state store, writes the clean-shutdown marker if all of them closed
   * cleanly, and releases the lock.
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    tasks.forEach(task -> task.cancel(false));
    boolean clean = wasCleanShutdown || everythingOnDiskWasOpened();
    for (StateStore store : stateStores.values()) {
      clean &= closeQuietly(store);
    }
    for (Log log : logs.values()) {
      boolean online = !log.isOffline();
      clean &= closeQuietly(log) && online;
    }
    scheduler.close();
    if (clean) {
      Files.write(root.resolve(CLEAN_SHUTDOWN_FILE), new byte[0]);
      fsyncDirectory(root);
    }
    lock.release();
    lockChannel.close();
    HELD.remove(heldPath);
  }

  /** Whether every log and state store on disk was opened, and so recovered, by this instance. */
  private boolean everythingOnDiskWasOpened() throws IOException {
    return logs.keySet().containsAll(logNames())
        && stateStores.keySet().containsAll(children(root.resolve("state")));
  }

  private static boolean closeQuietly(Closeable closeable) {
    try {
      closeable.close();
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.error("closing {} failed: {}", closeable, e.toString());
      return false;
    }
  }

  private static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
