package dev.tandem.amqp.channel;

import static dev.tandem.amqp.channel.RecordProperties.PREFIX;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tandem.amqp.codec.BasicProperties;
import dev.tandem.amqp.codec.FieldTable;
import dev.tandem.amqp.codec.FieldValue;
import dev.tandem.amqp.codec.WireTypes;
import dev.tandem.storage.record.RecordBatchBuilder.Header;
import io.netty.buffer.ByteBufUtil;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A record's headers read back into AMQP basic properties and application headers, by the rules
 * written down in {@link RecordProperties}: property headers, the timestamp and headers markers,
 * typed headers with the marker that follows them, escaped names, and plain headers as long
 * strings. Never throws on what a record holds.
 *
 * <p>One per record; not thread-safe.
 */
final class RecordHeaders {
  /** Short string properties by their flag bit (as {@link BasicProperties} numbers them). */
  private final String[] text = new String[16];

  private Integer deliveryMode;
  private Integer priority;
  private Long seconds;
  private boolean timestampRead;
  private boolean headersPresent;
  private final Map<String, FieldValue> application = new LinkedHashMap<>();

  private RecordHeaders() {}

  static RecordHeaders read(List<Header> headers) {
    RecordHeaders read = new RecordHeaders();
    for (int i = 0; i < headers.size(); i++) {
      Header header = headers.get(i);
      String name = header.key();
      if (name == null || (name.startsWith(PREFIX) && read.onProperty(name, header.value()))) {
        continue;
      }
      Header next = i + 1 < headers.size() ? headers.get(i + 1) : null;
      if (read.onApplicationHeader(name, header.value(), next)) {
        i++;
      }
    }
    return read;
  }

  /** The application headers, in record order; the caller may add to them. */
  Map<String, FieldValue> applicationHeaders() {
    return application;
  }

  /** Whether the record said the message had a headers table, even an empty one. */
  boolean hasHeaders() {
    return headersPresent;
  }

  /** The properties, with {@code headers} and the timestamp from the record's, if none was read. */
  BasicProperties properties(FieldTable headers, long recordTimestamp) {
    Long timestamp = seconds;
    if (!timestampRead && recordTimestamp >= 0) {
      timestamp = recordTimestamp / 1000;
    }
    return new BasicProperties(
        text[15],
        text[14],
        headers,
        deliveryMode,
        priority,
        text[10],
        text[9],
        text[8],
        text[7],
        timestamp,
        text[5],
        text[4],
        text[3],
        text[2]);
  }

  /** Takes a property header; false if {@code name} is none, or its value cannot be taken. */
  private boolean onProperty(String name, byte[] value) {
    return switch (name) {
      case RecordProperties.CONTENT_TYPE -> onText(15, value);
      case RecordProperties.CONTENT_ENCODING -> onText(14, value);
      case RecordProperties.HEADERS -> onHeaders(value);
      case RecordProperties.DELIVERY_MODE -> onDeliveryMode(value);
      case RecordProperties.PRIORITY -> onPriority(value);
      case RecordProperties.CORRELATION_ID -> onText(10, value);
      case RecordProperties.REPLY_TO -> onText(9, value);
      case RecordProperties.EXPIRATION -> onText(8, value);
      case RecordProperties.MESSAGE_ID -> onText(7, value);
      case RecordProperties.TIMESTAMP -> onTimestamp(value);
      case RecordProperties.TYPE -> onText(5, value);
      case RecordProperties.USER_ID -> onText(4, value);
      case RecordProperties.APP_ID -> onText(3, value);
      case RecordProperties.CLUSTER_ID -> onText(2, value);
      default -> false;
    };
  }

  private boolean onText(int bit, byte[] value) {
    if (text[bit] != null) {
      return false;
    }
    text[bit] = shortString(value);
    return text[bit] != null;
  }

  private boolean onDeliveryMode(byte[] value) {
    if (deliveryMode != null) {
      return false;
    }
    deliveryMode = octet(value);
    return deliveryMode != null;
  }

  private boolean onPriority(byte[] value) {
    if (priority != null) {
      return false;
    }
    priority = octet(value);
    return priority != null;
  }

  private boolean onHeaders(byte[] value) {
    if (headersPresent || (value != null && value.length > 0)) {
      return false;
    }
    headersPresent = true;
    return true;
  }

  private boolean onTimestamp(byte[] value) {
    if (timestampRead) {
      return false;
    }
    if (value == null || value.length == 0) {
      timestampRead = true;
      return true;
    }
    Long parsed = decimal(value);
    if (parsed == null) {
      return false;
    }
    seconds = parsed;
    timestampRead = true;
    return true;
  }

  /**
   * Takes an application header, typed by {@code next} if that is its marker; true if it took the
   * marker too.
   */
  private boolean onApplicationHeader(String recordName, byte[] value, Header next) {
    String name =
        recordName.startsWith(RecordProperties.ESCAPED)
            ? recordName.substring(RecordProperties.ESCAPED.length())
            : recordName;
    FieldValue typed =
        isMarkerOf(next, name) ? RecordHeaderValue.read(next.value()[0], value) : null;
    if (fitsShortString(name)) {
      application.putIfAbsent(name, typed == null ? RecordHeaderValue.longString(value) : typed);
    }
    return typed != null;
  }

  /** Whether {@code next} is the header {@code amqp-type-NAME} with a tag as its value. */
  private static boolean isMarkerOf(Header next, String name) {
    if (next == null || !RecordHeaderValue.isMarker(next.value())) {
      return false;
    }
    String key = next.key();
    return key != null
        && key.length() == RecordProperties.TYPE_MARKER.length() + name.length()
        && key.startsWith(RecordProperties.TYPE_MARKER)
        && key.endsWith(name);
  }

  private static boolean fitsShortString(String name) {
    // A char is at most 3 UTF-8 bytes (a surrogate pair, two chars, is 4).
    return name.length() * 3 <= WireTypes.MAX_SHORT_STRING
        || ByteBufUtil.utf8Bytes(name) <= WireTypes.MAX_SHORT_STRING;
  }

  /** The text of a short string: well-formed UTF-8 of at most 255 bytes, else null. */
  private static String shortString(byte[] value) {
    if (value == null || value.length > WireTypes.MAX_SHORT_STRING) {
      return null;
    }
    String decoded = new String(value, UTF_8);
    // Malformed input decodes to U+FFFD; one that was really there encodes back the same.
    if (decoded.indexOf('\uFFFD') >= 0 && !Arrays.equals(decoded.getBytes(UTF_8), value)) {
      return null;
    }
    return decoded;
  }

  /** An octet as decimal digits (0 to 255), else null. */
  private static Integer octet(byte[] value) {
    if (value == null || value.length == 0 || value.length > 3) {
      return null;
    }
    int octet = 0;
    for (byte digit : value) {
      if (digit < '0' || digit > '9') {
        return null;
      }
      octet = octet * 10 + digit - '0';
    }
    return octet <= 0xFF ? octet : null;
  }

  /** A signed decimal long, else null. */
  private static Long decimal(byte[] value) {
    if (value.length > 20) {
      return null;
    }
    try {
      return Long.parseLong(new String(value, UTF_8));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
