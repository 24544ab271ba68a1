package dev.tandem.amqp.channel;

import dev.tandem.amqp.codec.BasicMethod;
import dev.tandem.amqp.codec.BasicProperties;

/**
 * A complete basic.publish: the method, its content header's properties (decoded, and raw as the
 * client sent them) and its body. Arrays are not copied.
 */
record Publication(
    BasicMethod.Publish method, BasicProperties properties, byte[] rawProperties, byte[] body) {}
