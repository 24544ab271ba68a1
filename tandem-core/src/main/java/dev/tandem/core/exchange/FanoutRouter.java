package dev.tandem.core.exchange;

import java.util.Map;

/** Fanout exchanges: every binding matches, whatever the key. */
final class FanoutRouter extends ScanningRouter {
  @Override
  boolean matches(Binding binding, String routingKey, Map<String, Object> headers) {
    return true;
  }
}
