package dev.tandem.storage.log;

/**
 * A batch handed to append is larger than the log's maximum batch size; nothing of the append is
 * written.
 */
public class RecordTooLargeException extends StorageException {
  public RecordTooLargeException(String message) {
    super(message);
  }

  public RecordTooLargeException(String message, Throwable cause) {
    super(message, cause);
  }
}
