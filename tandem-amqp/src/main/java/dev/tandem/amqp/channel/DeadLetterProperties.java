package dev.tandem.amqp.channel;

import dev.tandem.amqp.codec.BasicProperties;
import dev.tandem.amqp.codec.FieldTable;
import dev.tandem.amqp.codec.FieldValue;
import dev.tandem.core.queue.Message;
import dev.tandem.core.vhost.DeadLetterRewriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites the properties of a dead-lettered message as RabbitMQ does for classic queues. The
 * {@code x-death} header is an array of tables, most recent first, one per (queue, reason); a
 * repeated death increments its entry's {@code count} and moves it to the front. Each table has its
 * fields sorted by name, as RabbitMQ sorts them:
 *
 * <pre>
 *   count                long        times dead-lettered from this queue for this reason
 *   exchange             longstr     the exchange the message had been published to
 *   original-expiration  longstr     its expiration property, if it had one
 *   queue                longstr     the queue that dead-lettered it
 *   reason               longstr     rejected | expired | maxlen
 *   routing-keys         array       its routing key, as an array of longstr
 *   time                 timestamp   when, in seconds
 * </pre>
 *
 * {@code x-first-death-reason}, {@code -queue} and {@code -exchange} are set by the first death and
 * kept after; {@code x-last-death-*} (RabbitMQ 3.13) follow each death. The {@code expiration}
 * property is removed so that the message does not expire again where it is routed; the priority
 * stays.
 *
 * <p>Stateless and thread-safe.
 */
public final class DeadLetterProperties implements DeadLetterRewriter {
  @Override
  public Message rewrite(Message message, DeadLetter death) {
    BasicProperties properties = BasicProperties.fromBytes(message.properties());
    FieldTable headers = properties.headers() == null ? FieldTable.EMPTY : properties.headers();
    Map<String, FieldValue> entries = new LinkedHashMap<>(headers.entries());
    entries.put("x-death", deaths(headers.get("x-death"), entry(message, properties, death)));
    if (death.replacesKeys()) {
      entries.remove("CC");
    }
    String reason = death.reason().wireName();
    entries.putIfAbsent("x-first-death-reason", FieldValue.string(reason));
    entries.putIfAbsent("x-first-death-queue", FieldValue.string(death.queue()));
    entries.putIfAbsent("x-first-death-exchange", FieldValue.string(message.exchange()));
    entries.put("x-last-death-reason", FieldValue.string(reason));
    entries.put("x-last-death-queue", FieldValue.string(death.queue()));
    entries.put("x-last-death-exchange", FieldValue.string(message.exchange()));
    FieldTable rewritten = FieldTable.of(entries);
    BasicProperties result = properties.toBuilder().headers(rewritten).expiration(null).build();
    return new Message(
        death.exchange(),
        death.routingKey(),
        result.toBytes(),
        FieldTables.toMap(rewritten),
        message.body(),
        message.persistent(),
        0,
        message.priority());
  }

  private static FieldTable entry(Message message, BasicProperties properties, DeadLetter death) {
    FieldTable.Builder entry =
        FieldTable.builder().put("count", 1L).put("exchange", message.exchange());
    if (properties.expiration() != null) {
      entry.put("original-expiration", properties.expiration());
    }
    return entry
        .put("queue", death.queue())
        .put("reason", death.reason().wireName())
        .put("routing-keys", routingKeys(message, properties))
        .put("time", new FieldValue.TimestampValue(death.timeMillis() / 1000))
        .build();
  }

  /** The keys the message was published with: its routing key, then its CC keys (not BCC). */
  private static FieldValue routingKeys(Message message, BasicProperties properties) {
    List<FieldValue> keys = new ArrayList<>();
    keys.add(FieldValue.string(message.routingKey()));
    FieldValue cc = properties.headers() == null ? null : properties.headers().get("CC");
    if (cc instanceof FieldValue.ArrayValue array) {
      for (FieldValue value : array.values()) {
        if (value instanceof FieldValue.StringValue) {
          keys.add(value);
        }
      }
    }
    return FieldValue.array(keys.toArray(new FieldValue[0]));
  }

  /** The new entry first, counting the earlier deaths for the same queue and reason. */
  private static FieldValue deaths(FieldValue existing, FieldTable entry) {
    List<FieldValue> others = new ArrayList<>();
    long count = 1;
    if (existing instanceof FieldValue.ArrayValue array) {
      for (FieldValue value : array.values()) {
        if (value instanceof FieldValue.TableValue table && sameDeath(table.value(), entry)) {
          count = count(table.value().get("count")) + 1;
        } else {
          others.add(value);
        }
      }
    }
    Map<String, FieldValue> counted = new LinkedHashMap<>(entry.entries());
    counted.put("count", FieldValue.int64(count));
    List<FieldValue> all = new ArrayList<>(others.size() + 1);
    all.add(FieldValue.table(FieldTable.of(counted)));
    all.addAll(others);
    return new FieldValue.ArrayValue(all);
  }

  private static boolean sameDeath(FieldTable table, FieldTable entry) {
    return entry.get("queue").equals(table.get("queue"))
        && entry.get("reason").equals(table.get("reason"));
  }

  private static long count(FieldValue value) {
    return FieldTables.toJava(value) instanceof Long n ? n : 0;
  }
}
