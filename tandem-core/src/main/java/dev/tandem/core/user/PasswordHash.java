package dev.tandem.core.user;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * A password as RabbitMQ stores it (its definitions' {@code password_hash}): base64 of a 4-byte
 * random salt followed by the digest of salt and UTF-8 password, with the digest its {@code
 * hashing_algorithm} names (SHA-256 by default, SHA-512 or MD5). So users exported from RabbitMQ
 * log in to Tandem with the same passwords. Immutable and thread-safe.
 */
public final class PasswordHash {
  public static final String SHA256 = "rabbit_password_hashing_sha256";
  public static final String SHA512 = "rabbit_password_hashing_sha512";
  public static final String MD5 = "rabbit_password_hashing_md5";
  private static final int SALT_BYTES = 4;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String digest;
  private final byte[] salt;
  private final byte[] hash;

  private PasswordHash(String digest, byte[] salt, byte[] hash) {
    this.digest = digest;
    this.salt = salt;
    this.hash = hash;
  }

  /**
   * Reads a stored hash; {@code algorithm} null or empty means SHA-256, as RabbitMQ reads it.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static PasswordHash parse(String base64, String algorithm) {
    String digest = digestOf(algorithm == null || algorithm.isEmpty() ? SHA256 : algorithm);
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("password_hash is not base64");
    }
    if (bytes.length != SALT_BYTES + digester(digest).getDigestLength()) {
      throw new IllegalArgumentException(
          "password_hash has " + bytes.length + " bytes, not a salt and a " + digest + " digest");
    }
    return new PasswordHash(
        digest,
        Arrays.copyOfRange(bytes, 0, SALT_BYTES),
        Arrays.copyOfRange(bytes, SALT_BYTES, bytes.length));
  }

  /** Hashes a password given in clear (the built-in guest user), with a fresh salt, SHA-256. */
  public static PasswordHash of(String password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    String digest = digestOf(SHA256);
    return new PasswordHash(digest, salt, hash(digest, salt, password));
  }

  public boolean matches(String password) {
    return MessageDigest.isEqual(hash, hash(digest, salt, password));
  }

  private static byte[] hash(String digest, byte[] salt, String password) {
    MessageDigest md = digester(digest);
    md.update(salt);
    md.update(password.getBytes(StandardCharsets.UTF_8));
    return md.digest();
  }

  private static String digestOf(String algorithm) {
    return switch (algorithm) {
      case SHA256 -> "SHA-256";
      case SHA512 -> "SHA-512";
      case MD5 -> "MD5";
      default ->
          throw new IllegalArgumentException(
              "hashing_algorithm '"
                  + algorithm
                  + "' is not one of "
                  + SHA256
                  + ", "
                  + SHA512
                  + ", "
                  + MD5);
    };
  }

  private static MessageDigest digester(String digest) {
    try {
      return MessageDigest.getInstance(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(digest + " is part of every Java runtime", e);
    }
  }
}
