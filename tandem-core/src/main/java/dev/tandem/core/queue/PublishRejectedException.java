package dev.tandem.core.queue;

/**
 * The failure of a publish's {@code stored} future when a queue with {@code x-overflow}
 * reject-publish or reject-publish-dlx is full: a confirming publisher gets basic.nack. Expected,
 * so it carries no stack trace.
 */
public final class PublishRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PublishRejectedException(String queue) {
    super(queue + " is full", null, false, false);
  }
}
