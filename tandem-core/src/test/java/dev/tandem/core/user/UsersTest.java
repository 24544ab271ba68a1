package dev.tandem.core.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.user.Permission.Access;
import org.junit.jupiter.api.Test;

/**
 * Users and permissions as RabbitMQ defines them. The hashes are RabbitMQ 4's own, exported with
 * {@code rabbitmqctl export_definitions} after {@code add_user appuser 's3cret!'}.
 */
class UsersTest {
  private static final String GUEST_HASH = "91SMtYir374bJh1XGjZPX4+lKBCBJfp47eJysIkWk58XooLe";
  private static final String APPUSER_HASH = "x+zZK4nXKkGscG8lvxhXZZcX84FHUj33ozdgTMEvyspB+eLp";

  @Test
  void shouldAcceptPasswordsOfHashesExportedByRabbitMq() {
    assertThat(PasswordHash.parse(GUEST_HASH, PasswordHash.SHA256).matches("guest")).isTrue();
    assertThat(PasswordHash.parse(APPUSER_HASH, null).matches("s3cret!")).isTrue();
    assertThat(PasswordHash.parse(APPUSER_HASH, "").matches("s3cret")).isFalse();
    assertThat(PasswordHash.of("pw").matches("pw")).isTrue();
  }

  @Test
  void shouldRefuseMalformedHashesWithTheReason() {
    assertThatThrownBy(() -> PasswordHash.parse("not base64!", null))
        .hasMessageContaining("not base64");
    assertThatThrownBy(() -> PasswordHash.parse(GUEST_HASH, PasswordHash.SHA512))
        .hasMessageContaining("not a salt and a SHA-512 digest");
    assertThatThrownBy(() -> PasswordHash.parse(GUEST_HASH, "bcrypt"))
        .hasMessageContaining("hashing_algorithm 'bcrypt'");
  }

  @Test
  void shouldLetGuestConnectFromLoopbackOnlyAndOthersFromAnywhere() {
    Users users =
        Users.builder()
            .user("guest", PasswordHash.parse(GUEST_HASH, null))
            .user("appuser", PasswordHash.parse(APPUSER_HASH, null))
            .build();
    assertThat(users.authenticate("guest", "guest", true)).isEqualTo(Users.Outcome.ACCEPTED);
    assertThat(users.authenticate("guest", "guest", false)).isEqualTo(Users.Outcome.LOOPBACK_ONLY);
    assertThat(users.authenticate("appuser", "s3cret!", false)).isEqualTo(Users.Outcome.ACCEPTED);
    assertThat(users.authenticate("appuser", "guest", true)).isEqualTo(Users.Outcome.REFUSED);
    assertThat(users.authenticate("nobody", "guest", true)).isEqualTo(Users.Outcome.REFUSED);
  }

  @Test
  void shouldMatchPermissionsAnywhereInTheNameAndGrantNothingForEmptyExpressions() {
    Users users =
        Users.builder().permit("appuser", "app", Permission.of("^app\\.", "", "orders")).build();
    Permission permission = users.permission("appuser", "app").orElseThrow();
    assertThat(permission.allows(Access.CONFIGURE, "app.orders")).isTrue();
    assertThat(permission.allows(Access.CONFIGURE, "my.app.orders")).isFalse();
    assertThat(permission.allows(Access.WRITE, "app.orders")).isFalse();
    assertThat(permission.allows(Access.READ, "all-orders-here")).isTrue();
    assertThat(users.permission("appuser", "/")).isEmpty();
    assertThat(users.permission("guest", "app")).isEmpty();
    assertThat(Users.defaults().permission("guest", "/")).contains(Permission.ALL);
    assertThatThrownBy(() -> Permission.of("(", ".*", ".*")).hasMessageContaining("permission '('");
  }
}
