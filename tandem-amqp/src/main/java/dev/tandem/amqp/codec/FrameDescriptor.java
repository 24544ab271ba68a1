package dev.tandem.amqp.codec;

/**
 * The layout of an AMQP 0-9-1 frame (§4.2.3) and of its payloads (§4.2.4, §4.2.6):
 *
 * <pre>
 *   frame:
 *   +---------+------------+-------------+------------------+--------------+
 *   | type:1  | channel:2  | size:4 (u)  | payload: size    | frame-end:1  |
 *   +---------+------------+-------------+------------------+--------------+
 *     1 method, 2 content header, 3 content body, 8 heartbeat;  frame-end = 0xCE
 *
 *   method payload:          class-id:2 | method-id:2 | arguments
 *   content header payload:  class-id:2 | weight:2 (0) | body-size:8 | property-flags:2* | properties
 *   content body payload:    bytes of the body, split so that no frame exceeds frame-max
 *   heartbeat payload:       empty, on channel 0
 * </pre>
 *
 * <p>{@code frame-max}, negotiated by {@code connection.tune}/{@code tune-ok}, bounds the whole
 * frame including its 8 bytes of header and end. Before tuning it is {@link #FRAME_MIN_SIZE}.
 */
public final class FrameDescriptor {
  public static final int TYPE_METHOD = 1;
  public static final int TYPE_HEADER = 2;
  public static final int TYPE_BODY = 3;
  public static final int TYPE_HEARTBEAT = 8;

  public static final int FRAME_END = 0xCE;

  /** Type, channel and size. */
  public static final int HEADER_LENGTH = 7;

  /** Header plus frame-end: the bytes of a frame that are not payload. */
  public static final int OVERHEAD = HEADER_LENGTH + 1;

  /** The smallest frame-max a peer may negotiate, and the limit before tuning (spec constant). */
  public static final int FRAME_MIN_SIZE = 4096;

  /** Class id, weight and body size: the fixed start of a content header payload. */
  public static final int CONTENT_HEADER_FIXED_LENGTH = 12;

  private FrameDescriptor() {}

  /** Whether {@code type} is one of the four frame types. */
  public static boolean isKnownType(int type) {
    return type == TYPE_METHOD
        || type == TYPE_HEADER
        || type == TYPE_BODY
        || type == TYPE_HEARTBEAT;
  }
}
