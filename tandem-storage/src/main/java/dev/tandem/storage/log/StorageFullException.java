package dev.tandem.storage.log;

/**
 * The disk has no room for an append. Nothing already written is damaged and the log stays online:
 * appends succeed again once space is freed.
 */
public class StorageFullException extends StorageException {
  public StorageFullException(String message) {
    super(message);
  }

  public StorageFullException(String message, Throwable cause) {
    super(message, cause);
  }
}
