package dev.tandem.storage.log;

/** When an append counts as done. */
public enum Durability {
  /**
   * An append completes only after its bytes are fsynced. Appends that wait together share one
   * fsync (group commit). The default.
   */
  FSYNC,
  /** An append completes once written to the page cache; a background task fsyncs periodically. */
  INTERVAL,
  /** An append completes once written to the page cache; only rolls and shutdown fsync (Kafka). */
  NEVER
}
