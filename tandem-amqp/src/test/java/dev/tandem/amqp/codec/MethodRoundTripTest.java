package dev.tandem.amqp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.impl.Method;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Every method, encoded by the real Java client with random field values, is decoded by the codec
 * and encoded again to the very same bytes.
 */
class MethodRoundTripTest {

  @Property(tries = 2000)
  void shouldEncodeEveryMethodExactlyAsTheJavaClientDoes(
      @ForAll("clientMethods") Method clientMethod, @ForAll @IntRange(max = 65535) int channel) {
    byte[] expected = JavaClient.methodFrame(clientMethod, channel);

    AmqpMethod method = decodeMethodFrame(expected);
    ByteBuf encoded = Unpooled.buffer();
    FrameWriter.writeMethod(encoded, channel, method);

    assertThat(ByteBufUtil.getBytes(encoded)).isEqualTo(expected);
    assertThat(method.classId()).isEqualTo(clientMethod.protocolClassId());
    assertThat(method.methodId()).isEqualTo(clientMethod.protocolMethodId());
    assertThat(method.hasContent()).isEqualTo(clientMethod.hasContent());
  }

  @Property(tries = 1000)
  void shouldDecodeEveryFieldToTheValueTheJavaClientEncoded(
      @ForAll("clientMethods") Method clientMethod) {
    AmqpMethod method = decodeMethodFrame(JavaClient.methodFrame(clientMethod, 1));

    for (RecordComponent component : method.getClass().getRecordComponents()) {
      Object decoded = invoke(component.getAccessor(), method);
      Object sent = invoke(clientGetter(clientMethod, component.getName()), clientMethod);
      assertThat(sameValue(decoded, sent))
          .as("%s.%s: decoded %s, sent %s", method.name(), component.getName(), decoded, sent)
          .isTrue();
    }
  }

  @Example
  void shouldRoundTripEachMethodClassOfTheJavaClient() {
    for (Class<? extends Method> methodClass : JavaClient.methodClasses()) {
      arbitraryFor(methodClass)
          .sampleStream()
          .limit(25)
          .forEach(
              clientMethod -> {
                byte[] expected = JavaClient.methodFrame(clientMethod, 1);
                ByteBuf encoded = Unpooled.buffer();
                FrameWriter.writeMethod(encoded, 1, decodeMethodFrame(expected));
                assertThat(ByteBufUtil.getBytes(encoded))
                    .as(methodClass.getName())
                    .isEqualTo(expected);
              });
    }
  }

  @Example
  void shouldKnowExactlyTheMethodsOfTheJavaClient() {
    List<String> clientMethods = new ArrayList<>();
    for (Class<? extends Method> methodClass : JavaClient.methodClasses()) {
      Method sample = arbitraryFor(methodClass).sample();
      clientMethods.add(
          sample.protocolClassId()
              + "."
              + sample.protocolMethodId()
              + " "
              + sample.protocolMethodName()
              + (sample.hasContent() ? " content" : ""));
    }
    List<String> registry =
        MethodRegistry.entries().stream()
            .map(
                e ->
                    e.classId()
                        + "."
                        + e.methodId()
                        + " "
                        + e.name()
                        + (e.hasContent() ? " content" : ""))
            .collect(Collectors.toList());

    assertThat(registry).containsExactlyInAnyOrderElementsOf(clientMethods);
  }

  @Provide
  Arbitrary<Method> clientMethods() {
    List<Arbitrary<Method>> perClass = new ArrayList<>();
    for (Class<? extends Method> methodClass : JavaClient.methodClasses()) {
      perClass.add(arbitraryFor(methodClass));
    }
    return Arbitraries.oneOf(perClass);
  }

  private static Arbitrary<Method> arbitraryFor(Class<? extends Method> methodClass) {
    Constructor<?> constructor = JavaClient.fieldConstructor(methodClass);
    Class<?>[] parameters = constructor.getParameterTypes();
    if (parameters.length == 0) {
      return Arbitraries.create(() -> JavaClient.newMethod(constructor));
    }
    List<Arbitrary<Object>> arguments = new ArrayList<>();
    for (Class<?> parameter : parameters) {
      arguments.add(ClientValues.forParameter(parameter));
    }
    return Combinators.combine(arguments)
        .as(values -> JavaClient.newMethod(constructor, values.toArray()));
  }

  /** The client's getter for a field: {@code noWait} is {@code getNowait()}, and so on. */
  private static java.lang.reflect.Method clientGetter(Method clientMethod, String field) {
    String name =
        switch (field) {
          case "failingClassId" -> "classId";
          case "failingMethodId" -> "methodId";
          default -> field;
        };
    for (java.lang.reflect.Method getter : clientMethod.getClass().getMethods()) {
      if (getter.getParameterCount() == 0 && getter.getName().equalsIgnoreCase("get" + name)) {
        return getter;
      }
    }
    throw new AssertionError("no getter for " + field + " in " + clientMethod.getClass());
  }

  /** Whether a decoded value is what the client sent, given the width of the wire type. */
  private static boolean sameValue(Object decoded, Object sent) {
    if (decoded instanceof Integer narrow && sent instanceof Integer wide) {
      return narrow == (wide & 0xFF) || narrow == (wide & 0xFFFF);
    } else if (decoded instanceof Long unsigned && sent instanceof Integer wide) {
      return unsigned == Integer.toUnsignedLong(wide);
    } else if (decoded instanceof String text) {
      return text.equals(utf8RoundTrip((String) sent));
    } else if (decoded instanceof LongString bytes) {
      return Arrays.equals(bytes.bytes(), ((com.rabbitmq.client.LongString) sent).getBytes());
    } else if (decoded instanceof FieldTable table) {
      Map<?, ?> map = (Map<?, ?>) sent;
      return table
          .entries()
          .keySet()
          .equals(
              map.keySet().stream()
                  .map(k -> utf8RoundTrip((String) k))
                  .collect(Collectors.toSet()));
    }
    return decoded.equals(sent);
  }

  private static String utf8RoundTrip(String text) {
    return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }

  private static Object invoke(java.lang.reflect.Method getter, Object target) {
    try {
      return getter.invoke(target);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static AmqpMethod decodeMethodFrame(byte[] frame) {
    ByteBuf payload =
        Unpooled.wrappedBuffer(
            frame, FrameDescriptor.HEADER_LENGTH, frame.length - FrameDescriptor.OVERHEAD);
    AmqpMethod method = MethodRegistry.decode(payload);
    assertThat(payload.isReadable()).isFalse();
    return method;
  }
}
