package dev.tandem.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.tandem.core.user.Users;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading RabbitMQ definitions files: what is imported, what is named as not, what is refused. */
class RabbitDefinitionsTest {
  private static final String HASH = "x+zZK4nXKkGscG8lvxhXZZcX84FHUj33ozdgTMEvyspB+eLp";
  @TempDir Path dir;

  private RabbitDefinitions read(String json) throws Exception {
    Path file = dir.resolve("definitions.json");
    Files.writeString(file, json);
    return RabbitDefinitions.read(file);
  }

  @Test
  void shouldImportUsersVhostsAndPermissionsAndNameWhatItLeavesOut() throws Exception {
    RabbitDefinitions definitions =
        read(
            "{\"users\":[{\"name\":\"app\",\"password_hash\":\""
                + HASH
                + "\",\"tags\":[]}],"
                + "\"vhosts\":[{\"name\":\"/\"},{\"name\":\"prod\"}],"
                + "\"permissions\":[{\"user\":\"app\",\"vhost\":\"prod\","
                + "\"configure\":\"\",\"write\":\".*\",\"read\":\".*\"}],"
                + "\"queues\":[{\"name\":\"q\",\"vhost\":\"prod\"}],\"bindings\":[],"
                + "\"policies\":[{\"vhost\":\"prod\",\"name\":\"p\",\"pattern\":\"^q\","
                + "\"definition\":{\"max-length\":2}}],"
                + "\"parameters\":[{},{}],\"topic_permissions\":[]}");
    assertThat(definitions.vhosts()).containsExactly("/", "prod");
    assertThat(definitions.ignored()).containsExactly("parameters (2)");
    assertThat(definitions.policies().get("prod").size()).isEqualTo(1);
    assertThat(definitions.topology().queues())
        .singleElement()
        .satisfies(
            q -> {
              assertThat(q.vhost()).isEqualTo("prod");
              assertThat(q.options().durable()).as("RabbitMQ's default").isTrue();
            });
    assertThat(definitions.users().authenticate("app", "s3cret!", false))
        .isEqualTo(Users.Outcome.ACCEPTED);
    assertThat(definitions.users().authenticate("guest", "guest", true))
        .as("imported users replace guest")
        .isEqualTo(Users.Outcome.REFUSED);
    assertThat(definitions.users().permission("app", "prod")).isPresent();
    assertThat(definitions.users().permission("app", "/")).isEmpty();
  }

  @Test
  void shouldReadTopologyArgumentsAsTheAmqpEdgeHandsThemToCore() throws Exception {
    RabbitTopology topology =
        read("{\"queues\":[{\"name\":\"s\",\"vhost\":\"/\",\"durable\":true,"
                + "\"auto_delete\":false,\"type\":\"stream\","
                + "\"arguments\":{\"x-max-age\":\"7D\",\"x-max-length-bytes\":1000,"
                + "\"x-none\":null}}],"
                + "\"bindings\":[{\"source\":\"h\",\"vhost\":\"/\",\"destination\":\"x\","
                + "\"destination_type\":\"exchange\",\"routing_key\":\"\","
                + "\"arguments\":{\"x-match\":\"any\",\"level\":3,\"ok\":true,"
                + "\"ratio\":0.5,\"tags\":[\"a\",1]}}]}")
            .topology();
    assertThat(topology.queues().get(0).options().arguments())
        .containsExactly(
            entry("x-max-age", "7D"),
            entry("x-max-length-bytes", 1000L),
            entry("x-queue-type", "stream"));
    assertThat(topology.bindings().get(0).binding().toExchange()).isTrue();
    assertThat(topology.bindings().get(0).binding().arguments())
        .containsExactly(
            entry("x-match", "any"),
            entry("level", 3L),
            entry("ok", true),
            entry("ratio", 0.5),
            entry("tags", List.of("a", 1L)));
  }

  @Test
  void shouldRefuseMalformedDefinitionsSayingWhere() {
    assertThatThrownBy(() -> read("{users: ")).hasMessageStartingWith("not JSON");
    assertThatThrownBy(() -> read("[]")).hasMessageContaining("expected a JSON object");
    assertThatThrownBy(() -> read("{\"users\":{}}"))
        .hasMessageContaining("'users' must be an array");
    assertThatThrownBy(() -> read("{\"users\":[{\"name\":\"a\"}]}"))
        .hasMessageContaining("no text field 'password_hash'");
    assertThatThrownBy(() -> read("{\"users\":[{\"name\":\"a\",\"password_hash\":\"abc=\"}]}"))
        .hasMessageStartingWith("user 'a': password_hash has 2 bytes");
    assertThatThrownBy(
            () ->
                read(
                    "{\"permissions\":[{\"user\":\"a\",\"vhost\":\"/\","
                        + "\"configure\":\"[\",\"write\":\"\",\"read\":\"\"}]}"))
        .hasMessageStartingWith("permissions of 'a' in vhost '/': permission '['");
    assertThatThrownBy(() -> read("{\"exchanges\":[{\"name\":\"x\",\"vhost\":\"/\"}]}"))
        .hasMessageContaining("an entry of 'exchanges' has no text field 'type'");
    assertThatThrownBy(
            () ->
                read(
                    "{\"bindings\":[{\"source\":\"a\",\"vhost\":\"/\",\"destination\":\"b\","
                        + "\"destination_type\":\"topic\",\"routing_key\":\"\"}]}"))
        .hasMessage("a binding's destination_type is queue or exchange, not 'topic'");
  }
}
