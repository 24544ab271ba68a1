package dev.tandem.storage.log;

/**
 * Base of every failure the storage engine reports to the layers above; each subclass maps to one
 * protocol error.
 */
public class StorageException extends RuntimeException {
  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
