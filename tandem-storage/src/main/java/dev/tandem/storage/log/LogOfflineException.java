package dev.tandem.storage.log;

/**
 * The log met an I/O error on write or fsync and is offline: no later append is accepted, and
 * nothing after the error is reported as written.
 */
public class LogOfflineException extends StorageException {
  public LogOfflineException(String message) {
    super(message);
  }

  public LogOfflineException(String message, Throwable cause) {
    super(message, cause);
  }
}
