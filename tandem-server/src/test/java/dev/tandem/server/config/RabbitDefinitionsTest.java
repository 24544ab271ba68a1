package dev.tandem.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.user.Users;
import java.nio.file.Files;
import java.nio.file.Path;
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
                + "\"queues\":[{\"name\":\"q\"}],\"bindings\":[],\"policies\":[{},{}]}");
    assertThat(definitions.vhosts()).containsExactly("/", "prod");
    assertThat(definitions.ignored()).containsExactly("queues (1)", "policies (2)");
    assertThat(definitions.users().authenticate("app", "s3cret!", false))
        .isEqualTo(Users.Outcome.ACCEPTED);
    assertThat(definitions.users().authenticate("guest", "guest", true))
        .as("imported users replace guest")
        .isEqualTo(Users.Outcome.REFUSED);
    assertThat(definitions.users().permission("app", "prod")).isPresent();
    assertThat(definitions.users().permission("app", "/")).isEmpty();
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
  }
}
