package dev.tandem.core.stream;

import dev.tandem.core.queue.Message;
import dev.tandem.storage.record.LogRecord;

/**
 * How a message crosses between a queue's world and a topic's: what record an AMQP publish becomes
 * when it is routed into a topic, and what message a topic's record becomes when it is routed into
 * a queue or read by a stream consumer. Core decides where messages go; the protocol that owns the
 * message's property encoding (AMQP) supplies the mapping, as it does for dead-lettering.
 *
 * <p>The mapping is lossless for what both sides can express: a message that crosses into a topic
 * and back comes back with the same properties and headers.
 *
 * <p>Implementations must be thread-safe and must not block.
 */
public interface RecordMapping {
  /** Body and routing key only: for brokers without an AMQP edge (and core's own tests). */
  RecordMapping BARE = new BareRecordMapping();

  /**
   * The record a message becomes when it is appended to a topic: routing key as key (none when
   * empty), body as value, headers and properties as record headers, timestamp from the message or
   * {@code nowMillis}.
   */
  StreamRecord toRecord(Message message, long nowMillis);

  /**
   * The message a record becomes: published to the exchange {@code topic} with the record's key as
   * routing key, persistent unless its headers say otherwise, its properties rebuilt from the
   * record's headers and timestamp.
   *
   * @param streamOffset the record's offset to show a stream consumer (AMQP: the {@code
   *     x-stream-offset} header), or -1 for none
   * @param streamPartition the record's partition to show a stream consumer of a topic with more
   *     than one partition (AMQP: the {@code x-stream-partition} header), or -1 for none
   */
  Message toMessage(String topic, LogRecord record, long streamOffset, int streamPartition);

  /** The message a record becomes when it is routed into a queue: no stream position shown. */
  default Message toMessage(String topic, LogRecord record) {
    return toMessage(topic, record, -1, -1);
  }
}
