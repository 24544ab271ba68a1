package dev.tandem.amqp.codec;

/**
 * A heartbeat frame (type 8, empty payload). The spec sends heartbeats on channel 0 only; the
 * connection answers one on another channel with 505 UNEXPECTED_FRAME, as RabbitMQ does.
 */
public record HeartbeatFrame(int channel) implements AmqpFrame {}
