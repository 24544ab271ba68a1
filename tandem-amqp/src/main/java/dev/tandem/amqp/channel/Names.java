package dev.tandem.amqp.channel;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Server-generated names in RabbitMQ's form: a prefix, a dash and 16 random bytes in URL-safe
 * base64, such as {@code amq.gen-JzTY20BRgKO-HjmUJj0wLg} for a server-named queue and {@code
 * amq.ctag-...} for a consumer tag. Thread-safe.
 */
final class Names {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Names() {}

  static String generate(String prefix) {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return prefix + "-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
