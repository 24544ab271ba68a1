package dev.tandem.storage.log;

/** A read asked for an offset below the log start offset or above the log end offset. */
public class OffsetOutOfRangeException extends StorageException {
  public OffsetOutOfRangeException(String message) {
    super(message);
  }

  public OffsetOutOfRangeException(String message, Throwable cause) {
    super(message, cause);
  }
}
