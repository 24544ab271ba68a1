package dev.tandem.storage;

import java.io.IOException;

/** Another process holds the lock of the data directory: two brokers must never share one. */
public final class DataDirectoryLockedException extends IOException {
  public DataDirectoryLockedException(String message) {
    super(message);
  }
}
