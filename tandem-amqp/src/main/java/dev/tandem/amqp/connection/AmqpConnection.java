package dev.tandem.amqp.connection;

import dev.tandem.amqp.AmqpMetrics;
import dev.tandem.amqp.AmqpSettings;
import dev.tandem.amqp.channel.AmqpChannel;
import dev.tandem.amqp.channel.ChannelHost;
import dev.tandem.amqp.channel.CoreErrors;
import dev.tandem.amqp.channel.DeliveryBacklog;
import dev.tandem.amqp.channel.DirectReplies;
import dev.tandem.amqp.codec.AmqpException;
import dev.tandem.amqp.codec.AmqpFrame;
import dev.tandem.amqp.codec.AmqpMethod;
import dev.tandem.amqp.codec.BasicMethod;
import dev.tandem.amqp.codec.ChannelMethod;
import dev.tandem.amqp.codec.ConnectionMethod;
import dev.tandem.amqp.codec.ContentBodyFrame;
import dev.tandem.amqp.codec.ContentHeaderFrame;
import dev.tandem.amqp.codec.FrameError;
import dev.tandem.amqp.codec.FrameWriter;
import dev.tandem.amqp.codec.HeartbeatFrame;
import dev.tandem.amqp.codec.LongString;
import dev.tandem.amqp.codec.MethodFrame;
import dev.tandem.amqp.codec.ProtocolHeader;
import dev.tandem.amqp.codec.ReplyCode;
import dev.tandem.core.alarm.Alarms;
import dev.tandem.core.stream.StreamReaders;
import dev.tandem.core.user.Permission;
import dev.tandem.core.vhost.Vhost;
import dev.tandem.core.vhost.VhostException;
import dev.tandem.core.vhost.Vhosts;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AMQP connection (§2.2.4): the handshake, the table of open channels, heartbeats, the close
 * handshake in both directions, and the one error boundary of the protocol. It receives what {@link
 * dev.tandem.amqp.codec.AmqpFrameDecoder} emits and writes frames with a {@link FrameWriter}.
 *
 * <pre>
 *   header ─> start ─> start-ok ─> tune ─> tune-ok ─> open ─> open-ok ─> OPEN
 *   OPEN ── connection.close from client ──> close-ok, socket closed
 *   any ─── hard error: connection.close sent ──> CLOSING ── close-ok (or timeout) ──> socket closed
 * </pre>
 *
 * <p>Errors: handlers throw {@link AmqpException} (or core's {@link VhostException}); {@link
 * #boundary} is the one place that turns them into channel.close (a soft error on an open channel)
 * or connection.close (a hard error, or any error on channel 0), counts and logs each once. An
 * unexpected exception is 541 INTERNAL_ERROR, logged with its stack trace.
 *
 * <p>Threading: everything runs on the connection's event loop. Other threads (queues delivering,
 * storage completing a confirm) reach it only through {@link #execute}, which submits a task to the
 * event loop; {@link #isWritable()} and {@link #backlog()} are the only other thread-safe entries.
 */
public final class AmqpConnection extends ChannelInboundHandlerAdapter implements ChannelHost {
  private static final Logger LOG = LoggerFactory.getLogger(AmqpConnection.class);

  /** The longest a congested queue holds a publisher back before reading resumes regardless. */
  static final long MAX_PUBLISHER_HOLD_MS = 200;

  private enum State {
    AWAIT_HEADER,
    AWAIT_START_OK,
    AWAIT_TUNE_OK,
    AWAIT_OPEN,
    OPEN,
    CLOSING,
    CLOSED
  }

  private final Vhosts vhosts;
  private final Handshake handshake;
  private final Alarms alarms;
  private final DirectReplies directReplies;
  private final AmqpSettings settings;
  private final AmqpMetrics metrics;
  private final String id;
  private final FrameWriter writer = new FrameWriter();
  private final Channels channels = new Channels();
  private final DeliveryBacklog backlog =
      new DeliveryBacklog(DeliveryBacklog.DEFAULT_LIMIT, this::resumeConsumers);
  private ChannelHandlerContext ctx;
  private State state = State.AWAIT_HEADER;
  private ClientProperties client = ClientProperties.NONE;
  private String user = "";
  private Vhost vhost;
  private Access access;
  private ScheduledFuture<?> timer;
  private ScheduledFuture<?> ackTimeoutCheck;
  private final DiskWork diskWork = new DiskWork();
  private boolean flushScheduled;

  /** Whether reading is held back for publisher flow control. */
  private boolean readingHeld;

  /**
   * Whether the connection published while the disk alarm was raised and is blocked till it clears.
   */
  private boolean blockedByAlarm;

  public AmqpConnection(
      Vhosts vhosts,
      Handshake handshake,
      Alarms alarms,
      DirectReplies directReplies,
      AmqpSettings settings,
      AmqpMetrics metrics,
      String id) {
    this.vhosts = vhosts;
    this.handshake = handshake;
    this.alarms = alarms;
    this.directReplies = directReplies;
    this.settings = settings;
    this.metrics = metrics;
    this.id = id;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    timer =
        ctx.executor()
            .schedule(
                this::onHandshakeTimeout, settings.handshakeTimeoutMillis(), TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (diskWork.running()) {
      diskWork.hold(msg);
      return;
    }
    read(msg);
  }

  private void read(Object msg) {
    try {
      if (msg instanceof AmqpFrame frame) {
        AmqpMethod method = frame instanceof MethodFrame m ? m.method() : null;
        boundary(frame.channel(), method, () -> onFrame(frame));
      } else if (msg instanceof FrameError error) {
        onFrameError(error);
      } else if (msg instanceof ProtocolHeader header) {
        onProtocolHeader(header);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    channels.afterRead();
    ctx.flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      resumeConsumers();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (!(event instanceof IdleStateEvent idle)) {
      ctx.fireUserEventTriggered(event);
    } else if (idle.state() == io.netty.handler.timeout.IdleState.WRITER_IDLE) {
      ByteBuf heartbeat = ctx.alloc().buffer(8);
      FrameWriter.writeHeartbeat(heartbeat);
      ctx.writeAndFlush(heartbeat);
    } else if (idle.state() == io.netty.handler.timeout.IdleState.READER_IDLE && !blockedByAlarm) {
      metrics.onHeartbeatTimeout();
      LOG.info("{}: missed heartbeats from client, closing", this);
      state = State.CLOSED;
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    state = State.CLOSED;
    if (timer != null) {
      timer.cancel(false);
    }
    if (ackTimeoutCheck != null) {
      ackTimeoutCheck.cancel(false);
    }
    diskWork.releaseHeld();
    releaseChannels();
    if (vhost != null) {
      vhost.onConnectionClosed(id);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      LOG.debug("{}: {}", this, cause.toString());
    } else {
      LOG.warn("{}: unexpected exception", this, cause);
    }
    state = State.CLOSED;
    ctx.close();
  }

  // ---- handshake (§4.2.2, §1.4.2) -----------------------------------------------------------

  private void onProtocolHeader(ProtocolHeader header) {
    if (!header.isSupported()) {
      LOG.debug("{}: unsupported protocol header {}", this, header);
      ByteBuf answer = ctx.alloc().buffer(ProtocolHeader.LENGTH);
      ProtocolHeader.writeSupported(answer);
      state = State.CLOSED;
      ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    state = State.AWAIT_START_OK;
    send(0, handshake.start());
  }

  private void onConnectionMethod(ConnectionMethod method) {
    if (method instanceof ConnectionMethod.Close) {
      LOG.debug("{}: closed by client", this);
      releaseChannels();
      state = State.CLOSED;
      ctx.writeAndFlush(writer.method(ctx.alloc(), 0, ConnectionMethod.CloseOk.INSTANCE))
          .addListener(ChannelFutureListener.CLOSE);
    } else if (state == State.AWAIT_START_OK && method instanceof ConnectionMethod.StartOk m) {
      onStartOk(m);
    } else if (state == State.AWAIT_TUNE_OK && method instanceof ConnectionMethod.TuneOk m) {
      Tuning tuning = Tuning.negotiate(settings, m);
      channels.channelMax(tuning.channelMax());
      handshake.apply(ctx.pipeline(), tuning);
      writer.frameMax(tuning.frameMax());
      state = State.AWAIT_OPEN;
    } else if (state == State.AWAIT_OPEN && method instanceof ConnectionMethod.Open m) {
      onOpen(m);
    } else if (state == State.OPEN && method instanceof ConnectionMethod.UpdateSecret) {
      throw new AmqpException(ReplyCode.NOT_IMPLEMENTED, "connection.update-secret");
    } else {
      throw new AmqpException(
          ReplyCode.CHANNEL_ERROR, "unexpected method in connection state " + stateName());
    }
  }

  /** The state as RabbitMQ names it in its errors. */
  private String stateName() {
    return switch (state) {
      case AWAIT_HEADER, AWAIT_START_OK -> "starting";
      case AWAIT_TUNE_OK -> "tuning";
      case AWAIT_OPEN -> "opening";
      case OPEN -> "running";
      case CLOSING, CLOSED -> "closing";
    };
  }

  private void onStartOk(ConnectionMethod.StartOk m) {
    client = ClientProperties.of(m.clientProperties());
    Credentials credentials = Credentials.parse(m.mechanism(), m.response());
    String refusal = handshake.authenticate(credentials, ctx.channel().remoteAddress());
    if (refusal != null) {
      metrics.onAuthenticationFailure();
      LOG.info("{}: {} login refused: {}", this, m.mechanism(), refusal);
      if (!client.authenticationFailureClose()) {
        state = State.CLOSED;
        ctx.close();
        return;
      }
      closeWithError(
          new AmqpException(
              ReplyCode.ACCESS_REFUSED,
              "Login was refused using authentication mechanism "
                  + m.mechanism()
                  + ". For details see the broker logfile.",
              ConnectionMethod.CLASS_ID,
              ConnectionMethod.StartOk.METHOD_ID));
      return;
    }
    user = credentials.user();
    state = State.AWAIT_TUNE_OK;
    send(0, Tuning.proposal(settings));
  }

  private void onOpen(ConnectionMethod.Open m) {
    String name = m.virtualHost().isEmpty() ? Vhosts.DEFAULT : m.virtualHost();
    vhost =
        vhosts
            .vhost(name)
            .orElseThrow(
                () -> new AmqpException(ReplyCode.NOT_ALLOWED, "vhost " + name + " not found"));
    Permission permission =
        handshake
            .permission(user, name)
            .orElseThrow(
                () ->
                    new AmqpException(
                        ReplyCode.NOT_ALLOWED,
                        "access to vhost '" + name + "' refused for user '" + user + "'"));
    access = new Access(user, vhost, permission, handshake.topicPermissions(user, name));
    state = State.OPEN;
    timer.cancel(false);
    scheduleAcknowledgementTimeouts();
    metrics.onConnectionOpened();
    send(0, new ConnectionMethod.OpenOk(""));
  }

  /**
   * Checks the channels' unacknowledged deliveries against the consumer timeout, at half the
   * timeout and at least once a minute (RabbitMQ checks once a minute).
   */
  private void scheduleAcknowledgementTimeouts() {
    long timeout = settings.consumerTimeoutMillis();
    if (timeout <= 0) {
      return;
    }
    long every = Math.max(10, Math.min(60_000, timeout / 2));
    ackTimeoutCheck =
        ctx.executor()
            .scheduleAtFixedRate(
                () -> {
                  if (state == State.OPEN) {
                    channels.checkAcknowledgementTimeouts(
                        timeout, (channel, error) -> onError(channel.id(), null, error));
                    ctx.flush();
                  }
                },
                every,
                every,
                TimeUnit.MILLISECONDS);
  }

  private void onHandshakeTimeout() {
    if (state.compareTo(State.OPEN) < 0) {
      LOG.info("{}: handshake timeout", this);
      state = State.CLOSED;
      ctx.close();
    }
  }

  // ---- frames -------------------------------------------------------------------------------

  private void onFrame(AmqpFrame frame) {
    if (state == State.CLOSING) {
      onFrameWhileClosing(frame);
    } else if (state == State.CLOSED) {
      return;
    } else if (frame instanceof HeartbeatFrame) {
      if (frame.channel() != 0) {
        throw new AmqpException(
            ReplyCode.UNEXPECTED_FRAME, "heartbeat frame on channel " + frame.channel());
      }
    } else if (frame.channel() == 0) {
      if (!(frame instanceof MethodFrame m)) {
        throw new AmqpException(ReplyCode.UNEXPECTED_FRAME, "content frame on channel 0");
      }
      if (!(m.method() instanceof ConnectionMethod method)) {
        throw new AmqpException(
            ReplyCode.CHANNEL_ERROR, "unexpected method in connection state " + stateName());
      }
      onConnectionMethod(method);
    } else if (state != State.OPEN) {
      throw new AmqpException(
          ReplyCode.UNEXPECTED_FRAME, "frame on channel " + frame.channel() + " before open-ok");
    } else {
      onChannelFrame(frame);
    }
  }

  private void onChannelFrame(AmqpFrame frame) {
    int number = frame.channel();
    AmqpChannel channel = channels.get(number);
    if (channel == null) {
      if (!(frame instanceof MethodFrame m)) {
        throw new AmqpException(
            ReplyCode.UNEXPECTED_FRAME, "content frame on channel " + number + " that is not open");
      }
      if (!(m.method() instanceof ChannelMethod.Open)) {
        throw new AmqpException(ReplyCode.CHANNEL_ERROR, "expected 'channel.open'");
      }
      channels.open(number, this);
      send(number, new ChannelMethod.OpenOk(LongString.EMPTY));
      return;
    }
    if (frame instanceof MethodFrame m) {
      channel.onMethod(m.method());
      if (m.method() instanceof BasicMethod.Publish && !blockedByAlarm && alarms.raised()) {
        blockUntilAlarmClears();
      }
    } else if (frame instanceof ContentHeaderFrame header) {
      channel.onContentHeader(header);
    } else if (frame instanceof ContentBodyFrame body) {
      channel.onContentBody(body);
    }
    channels.forgetIfClosed(channel);
  }

  private void onFrameWhileClosing(AmqpFrame frame) {
    if (frame.channel() == 0 && frame instanceof MethodFrame m) {
      if (m.method() instanceof ConnectionMethod.CloseOk) {
        state = State.CLOSED;
        ctx.close();
      } else if (m.method() instanceof ConnectionMethod.Close) {
        state = State.CLOSED;
        ctx.writeAndFlush(writer.method(ctx.alloc(), 0, ConnectionMethod.CloseOk.INSTANCE))
            .addListener(ChannelFutureListener.CLOSE);
      }
    }
  }

  // ---- errors -------------------------------------------------------------------------------

  /**
   * The error boundary: runs {@code action}, and turns what it throws into channel.close or
   * connection.close, counted and logged once.
   */
  private void boundary(int channelNumber, AmqpMethod cause, Runnable action) {
    try {
      action.run();
    } catch (AmqpException e) {
      onError(channelNumber, cause, e);
    } catch (VhostException e) {
      onError(channelNumber, cause, CoreErrors.toAmqp(e));
    } catch (RuntimeException e) {
      LOG.error("{}: channel {}: unexpected failure", this, channelNumber, e);
      onError(
          0,
          cause,
          new AmqpException(ReplyCode.INTERNAL_ERROR, "internal error: " + e.getMessage()));
    }
  }

  private void onError(int channelNumber, AmqpMethod cause, AmqpException thrown) {
    if (state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    AmqpException error =
        thrown.classId() == 0 && cause != null
            ? thrown.withMethod(cause.classId(), cause.methodId())
            : thrown;
    if (error.replyCode().isChannelError() && channelNumber != 0 && state == State.OPEN) {
      AmqpChannel channel = channels.get(channelNumber);
      if (channel != null && channel.closeWithError(error)) {
        metrics.onChannelError();
        LOG.info("{}: channel {} closed: {}", this, channelNumber, error.replyText());
        channels.forgetIfClosed(channel);
      }
      return;
    }
    metrics.onConnectionError();
    LOG.info("{}: connection closed: {}", this, error.replyText());
    closeWithError(error);
  }

  private void onFrameError(FrameError error) {
    if (!error.fatal()) {
      onError(error.channel(), null, error.error());
      return;
    }
    if (state == State.CLOSING || state == State.CLOSED) {
      ctx.close();
      return;
    }
    metrics.onConnectionError();
    LOG.info("{}: connection closed: {}", this, error.error().replyText());
    releaseChannels();
    state = State.CLOSED;
    ctx.writeAndFlush(closeMethod(error.error())).addListener(ChannelFutureListener.CLOSE);
  }

  /** Sends connection.close and waits briefly for close-ok before closing the socket. */
  private void closeWithError(AmqpException error) {
    releaseChannels();
    state = State.CLOSING;
    ctx.writeAndFlush(closeMethod(error));
    if (timer != null) {
      timer.cancel(false);
    }
    timer =
        ctx.executor()
            .schedule(
                () -> {
                  state = State.CLOSED;
                  ctx.close();
                },
                settings.closeTimeoutMillis(),
                TimeUnit.MILLISECONDS);
  }

  private ByteBuf closeMethod(AmqpException error) {
    return writer.method(
        ctx.alloc(),
        0,
        new ConnectionMethod.Close(
            error.replyCode().code(), error.replyText(), error.classId(), error.methodId()));
  }

  private void releaseChannels() {
    channels.releaseAll();
  }

  private void resumeConsumers() {
    channels.resumeConsumers();
  }

  // ---- ChannelHost ---------------------------------------------------------------------------

  @Override
  public Vhost vhost() {
    return vhost;
  }

  @Override
  public StreamReaders streams() {
    return vhosts.streamReaders();
  }

  @Override
  public String owner() {
    return id;
  }

  @Override
  public String user() {
    return user;
  }

  @Override
  public AmqpSettings settings() {
    return settings;
  }

  @Override
  public AmqpMetrics metrics() {
    return metrics;
  }

  @Override
  public boolean consumerCancelNotify() {
    return client.consumerCancelNotify();
  }

  @Override
  public void send(int channel, AmqpMethod method) {
    ctx.write(writer.method(ctx.alloc(), channel, method));
  }

  @Override
  public void sendCommand(int channel, AmqpMethod method, byte[] rawProperties, byte[] body) {
    ByteBuf properties = Unpooled.wrappedBuffer(rawProperties);
    ByteBuf content = Unpooled.wrappedBuffer(body);
    try {
      ctx.write(writer.command(ctx.alloc(), channel, method, properties, content));
    } finally {
      properties.release();
      content.release();
    }
  }

  @Override
  public void execute(int channel, Runnable task) {
    try {
      ctx.executor()
          .execute(
              () -> {
                boundary(channel, null, task);
                scheduleFlush();
              });
    } catch (RejectedExecutionException e) {
      LOG.debug("{}: event loop shut down, task dropped", this);
    }
  }

  private void scheduleFlush() {
    if (!flushScheduled) {
      flushScheduled = true;
      ctx.executor()
          .execute(
              () -> {
                flushScheduled = false;
                ctx.flush();
              });
    }
  }

  @Override
  public void holdBackPublisher(CompletableFuture<Void> until) {
    if (readingHeld || state == State.CLOSED) {
      return;
    }
    readingHeld = true;
    updateAutoRead();
    metrics.onPublisherHeld();
    Runnable resume =
        () -> {
          if (readingHeld) {
            readingHeld = false;
            updateAutoRead();
          }
        };
    until.whenComplete((ok, failure) -> ctx.executor().execute(resume));
    ctx.executor().schedule(resume, MAX_PUBLISHER_HOLD_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * A publish while a resource alarm is raised blocks the connection, as RabbitMQ blocks publishing
   * connections: it is told (connection.blocked, if it takes it) and nothing more is read from it
   * until the alarm clears (then connection.unblocked). Consumers on other connections go on; the
   * missing heartbeats of a blocked connection are not held against it.
   */
  private void blockUntilAlarmClears() {
    blockedByAlarm = true;
    metrics.onBlockedByAlarm();
    String reason = alarms.reason();
    LOG.info("{}: blocked, publishing while {}", this, reason);
    updateAutoRead();
    if (client.connectionBlocked()) {
      send(0, new ConnectionMethod.Blocked(reason));
      ctx.flush();
    }
    alarms.whenCleared().thenRun(() -> ctx.executor().execute(this::unblock));
  }

  private void unblock() {
    if (!blockedByAlarm || state == State.CLOSED) {
      return;
    }
    blockedByAlarm = false;
    if (client.connectionBlocked()) {
      send(0, ConnectionMethod.Unblocked.INSTANCE);
      ctx.flush();
    }
    updateAutoRead();
  }

  /** Reads while no alarm, flow control or disk work holds this connection back. */
  private void updateAutoRead() {
    ctx.channel().config().setAutoRead(!blockedByAlarm && !readingHeld && !diskWork.running());
  }

  @Override
  public <T> void offLoop(int channel, AmqpMethod method, Supplier<T> work, Consumer<T> then) {
    diskWork
        .start(work)
        .whenComplete(
            (result, failure) ->
                ctx.executor()
                    .execute(
                        () -> {
                          diskWork.finished();
                          if (state == State.CLOSED) {
                            return;
                          }
                          boundary(
                              channel,
                              method,
                              () -> {
                                if (failure != null) {
                                  throw unwrap(failure);
                                }
                                then.accept(result);
                              });
                          for (Object held = nextHeld(); held != null; held = nextHeld()) {
                            read(held);
                          }
                          updateAutoRead();
                          channels.afterRead();
                          ctx.flush();
                        }));
    updateAutoRead();
  }

  /** What was read while disk work ran, unless another has started meanwhile. */
  private Object nextHeld() {
    return diskWork.running() ? null : diskWork.nextHeld();
  }

  private static RuntimeException unwrap(Throwable failure) {
    Throwable cause =
        failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    return cause instanceof RuntimeException e ? e : new IllegalStateException(cause);
  }

  @Override
  public DirectReplies directReplies() {
    return directReplies;
  }

  @Override
  public void permit(Permission.Access check, String kind, String name) {
    access.permit(check, kind, name);
  }

  @Override
  public void permitTopic(Permission.Access check, String exchange, String routingKey) {
    access.permitTopic(check, exchange, routingKey);
  }

  @Override
  public boolean isWritable() {
    return ctx.channel().isWritable();
  }

  @Override
  public DeliveryBacklog backlog() {
    return backlog;
  }

  @Override
  public String toString() {
    return id
        + " ("
        + ctx.channel().remoteAddress()
        + ", "
        + client.product()
        + ", user '"
        + user
        + "')";
  }
}
