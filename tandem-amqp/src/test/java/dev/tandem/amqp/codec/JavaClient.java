package dev.tandem.amqp.codec;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.Frame;
import com.rabbitmq.client.impl.Method;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The real Java client ({@code com.rabbitmq:amqp-client}) as the reference encoding: its {@code
 * AMQImpl} classes are generated from RabbitMQ's spec file.
 */
final class JavaClient {
  private JavaClient() {}

  /** The complete frame the client writes for {@code method} on {@code channel}. */
  static byte[] methodFrame(Method method, int channel) {
    try {
      return bytes(method.toFrame(channel));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The complete content header frame the client writes. */
  static byte[] contentHeaderFrame(AMQP.BasicProperties properties, int channel, long bodySize) {
    try {
      return bytes(properties.toFrame(channel, bodySize));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bodyFrame(int channel, byte[] body) {
    return bytes(Frame.fromBodyFragment(channel, ByteBuffer.wrap(body), 0, body.length));
  }

  static byte[] bytes(Frame frame) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      frame.writeTo(new DataOutputStream(bytes));
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every method class the client knows, {@code AMQImpl.Basic.Publish} and so on. */
  static List<Class<? extends Method>> methodClasses() {
    List<Class<? extends Method>> classes = new ArrayList<>();
    for (Class<?> amqpClass : AMQImpl.class.getDeclaredClasses()) {
      for (Class<?> candidate : amqpClass.getDeclaredClasses()) {
        if (Method.class.isAssignableFrom(candidate)
            && !Modifier.isAbstract(candidate.getModifiers())) {
          classes.add(candidate.asSubclass(Method.class));
        }
      }
    }
    classes.sort(Comparator.comparing(Class::getName));
    return classes;
  }

  /** The constructor taking the method's fields (not the one reading them from a stream). */
  static Constructor<?> fieldConstructor(Class<? extends Method> methodClass) {
    return Arrays.stream(methodClass.getConstructors())
        .filter(
            c ->
                Arrays.stream(c.getParameterTypes())
                    .noneMatch(
                        p ->
                            p.getName().endsWith("MethodArgumentReader")
                                || p.getName().endsWith("DataInputStream")))
        .findFirst()
        .orElseThrow();
  }

  static Method newMethod(Constructor<?> constructor, Object... arguments) {
    try {
      return (Method) constructor.newInstance(arguments);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
