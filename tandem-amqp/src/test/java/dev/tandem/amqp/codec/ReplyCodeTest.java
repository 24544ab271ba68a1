package dev.tandem.amqp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ReplyCodeTest {

  @Test
  void shouldClassifySoftErrorsAsChannelErrorsAsTheSpecDoes() {
    assertThat(codesWithScope(ReplyCode.Scope.CHANNEL))
        .containsExactly(311, 312, 313, 403, 404, 405, 406);
  }

  @Test
  void shouldClassifyHardErrorsAsConnectionErrorsAsTheSpecDoes() {
    assertThat(codesWithScope(ReplyCode.Scope.CONNECTION))
        .containsExactly(320, 402, 501, 502, 503, 504, 505, 506, 530, 540, 541);
    assertThat(ReplyCode.FRAME_ERROR.isConnectionError()).isTrue();
    assertThat(ReplyCode.NOT_FOUND.isChannelError()).isTrue();
    assertThat(ReplyCode.REPLY_SUCCESS.scope()).isEqualTo(ReplyCode.Scope.NONE);
  }

  @Test
  void shouldFindACodeByItsNumber() {
    for (ReplyCode code : ReplyCode.values()) {
      assertThat(ReplyCode.fromCode(code.code())).isSameAs(code);
    }
    assertThat(ReplyCode.fromCode(999)).isNull();
  }

  @Test
  void shouldFormatReplyTextAsRabbitMqDoes() {
    assertThat(ReplyCode.NOT_FOUND.replyText("no queue 'q' in vhost '/'"))
        .isEqualTo("NOT_FOUND - no queue 'q' in vhost '/'");
    assertThat(new AmqpException(ReplyCode.FRAME_ERROR, "bad").replyText())
        .isEqualTo("FRAME_ERROR - bad");
  }

  @Test
  void shouldCutReplyTextToAShortStringWithoutSplittingACharacter() {
    String text = ReplyCode.PRECONDITION_FAILED.replyText("é".repeat(200));

    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    assertThat(utf8.length).isLessThanOrEqualTo(255);
    assertThat(text).endsWith("é");
  }

  private static int[] codesWithScope(ReplyCode.Scope scope) {
    return Arrays.stream(ReplyCode.values())
        .filter(c -> c.scope() == scope)
        .mapToInt(ReplyCode::code)
        .toArray();
  }
}
