package dev.tandem.storage.log;

/**
 * A batch handed to append fails its length, magic or CRC check; nothing of the append is written.
 */
public class CorruptRecordException extends StorageException {
  public CorruptRecordException(String message) {
    super(message);
  }

  public CorruptRecordException(String message, Throwable cause) {
    super(message, cause);
  }
}
