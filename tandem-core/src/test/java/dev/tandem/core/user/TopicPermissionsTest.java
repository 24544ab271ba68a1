package dev.tandem.core.user;

import static dev.tandem.core.user.Permission.Access.READ;
import static dev.tandem.core.user.Permission.Access.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Topic permissions as RabbitMQ's topic authorisation matches routing keys. */
class TopicPermissionsTest {

  private static TopicPermissions of(String user, String exchange, String write, String read) {
    return Users.builder()
        .permitTopic(user, "/", exchange, new TopicPermissions.Grant(write, read))
        .build()
        .topicPermissions(user, "/");
  }

  @Test
  void shouldMatchAnywhereInTheKeyAndLeaveOtherExchangesOpen() {
    TopicPermissions topics = of("app", "events", "created", "^audit\\.");
    assertThat(topics.allows(WRITE, "events", "order.created.eu")).isTrue();
    assertThat(topics.allows(WRITE, "events", "order.deleted")).isFalse();
    assertThat(topics.allows(READ, "events", "audit.#")).isTrue();
    assertThat(topics.allows(READ, "events", "x.audit.#")).isFalse();
    assertThat(topics.allows(WRITE, "other", "anything")).isTrue();
  }

  @Test
  void shouldTakeTheEmptyExpressionAsTheEmptyKeyOnly() {
    TopicPermissions topics = of("app", "events", "", "");
    assertThat(topics.allows(WRITE, "events", "")).isTrue();
    assertThat(topics.allows(WRITE, "events", "a")).isFalse();
  }

  @Test
  void shouldExpandUserAndVhostLiterally() {
    TopicPermissions topics = of("a.b", "events", "^{username}\\.{vhost}$", ".*");
    assertThat(topics.allows(WRITE, "events", "a.b./")).isTrue();
    assertThat(topics.allows(WRITE, "events", "axb./"))
        .as("the user's name is not an expression")
        .isFalse();
  }

  @Test
  void shouldHaveNoneForUsersWithoutGrantsAndRefuseBadExpressions() {
    assertThat(Users.defaults().topicPermissions("guest", "/").isEmpty()).isTrue();
    assertThatThrownBy(() -> new TopicPermissions.Grant("[", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("topic permission '['");
  }
}
