package dev.tuneforge.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A local Keycloak (the {@code keycloak-quarkus-dist} archive from the Maven repository) in
 * development mode with the demo realm: the client {@code tuneforge}, the group {@code demo}, the
 * client roles {@code tenant-admin} and {@code member}, and two users, {@code ada} (tenant admin)
 * and {@code max} (member). The realm is imported fresh at every start; the unpacked server keeps
 * its build, so later starts take seconds rather than a minute.
 */
public final class KeycloakServer implements AutoCloseable {
  public static final String VERSION = "26.7.3";
  public static final String REALM = "tuneforge";
  public static final String CLIENT_ID = "tuneforge";
  public static final String GROUP = "demo";
  public static final String ADMIN_USER = "ada";
  public static final String MEMBER_USER = "max";

  private final ManagedProcess process;
  private final int port;
  private final Map<String, String> secrets;

  private KeycloakServer(ManagedProcess process, int port, Map<String, String> secrets) {
    this.process = process;
    this.port = port;
    this.secrets = Map.copyOf(secrets);
  }

  /** Where Maven keeps the archive ({@code run.sh --keycloak} fetches it if missing). */
  public static Path archive() {
    return Path.of(
        System.getProperty("user.home"),
        ".m2/repository/org/keycloak/keycloak-quarkus-dist",
        VERSION,
        "keycloak-quarkus-dist-" + VERSION + ".tar.gz");
  }

  /**
   * Unpacks the archive into {@code home} (once), writes the demo realm for the app at {@code
   * appUrl}, starts Keycloak on {@code port} (its health on the next port) and waits until it is
   * ready.
   *
   * @param secrets the client secret and the passwords of the admin console ({@code kcadmin}) and
   *     of the two users: keys {@code client}, {@code console}, {@code ada}, {@code max}
   */
  public static KeycloakServer start(
      Path home, Path logDir, int port, String appUrl, Map<String, String> secrets) {
    Path dist = unpack(home);
    writeRealm(dist, appUrl, secrets);
    Path runDir = home.resolve("run");
    ManagedProcess.stopLeftOver("keycloak", runDir, "keycloak");
    Ports.requireFree(port, "Keycloak", "--keycloak-port");
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("JAVA_HOME", System.getProperty("java.home"));
    environment.put("KC_BOOTSTRAP_ADMIN_USERNAME", "kcadmin");
    environment.put("KC_BOOTSTRAP_ADMIN_PASSWORD", secrets.get("console"));
    ManagedProcess process =
        ManagedProcess.start(
            "keycloak",
            List.of(
                dist.resolve("bin/kc.sh").toString(),
                "start-dev",
                "--import-realm",
                "--http-host=127.0.0.1",
                "--http-port=" + port,
                "--http-management-port=" + (port + 1),
                "--health-enabled=true"),
            environment,
            dist,
            runDir,
            logDir.resolve("keycloak.log"),
            "keycloak");
    KeycloakServer server = new KeycloakServer(process, port, secrets);
    try {
      server.awaitReady(Duration.ofMinutes(5));
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  public String issuerUri() {
    return "http://127.0.0.1:" + port + "/realms/" + REALM;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public String secret(String key) {
    return secrets.get(key);
  }

  /** The app's settings that point single sign-on at this Keycloak. */
  public Map<String, String> appProperties() {
    return Map.of(
        "tuneforge.identity.oidc.enabled",
        "true",
        "tuneforge.identity.oidc.provider-name",
        "Keycloak",
        "tuneforge.identity.oidc.issuer-uri",
        issuerUri(),
        "tuneforge.identity.oidc.client-id",
        CLIENT_ID,
        "tuneforge.identity.oidc.client-secret",
        secrets.get("client"));
  }

  private void awaitReady(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    // Healthy first, then the realm's discovery document: its first answer takes seconds.
    URI health = URI.create("http://127.0.0.1:" + (port + 1) + "/health/ready");
    URI discovery = URI.create(issuerUri() + "/.well-known/openid-configuration");
    long deadline = System.nanoTime() + timeout.toNanos();
    URI ready = health;
    while (System.nanoTime() < deadline) {
      if (!process.alive()) {
        throw new IllegalStateException("Keycloak exited while starting:\n" + process.logTail(30));
      }
      try {
        if (http.send(
                    HttpRequest.newBuilder(ready).GET().build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while Keycloak started", e);
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while Keycloak started", e);
      }
    }
    throw new IllegalStateException(
        "Keycloak was not ready within " + timeout.toSeconds() + " s:\n" + process.logTail(30));
  }

  private static Path unpack(Path home) {
    Path dist = home.resolve("keycloak-" + VERSION);
    if (Files.isExecutable(dist.resolve("bin/kc.sh"))) {
      return dist;
    }
    Path archive = archive();
    if (!Files.isRegularFile(archive)) {
      throw new IllegalStateException(
          "The Keycloak archive is missing at "
              + archive
              + "; fetch it with ./mvnw dependency:get -Dtransitive=false"
              + " -Dartifact=org.keycloak:keycloak-quarkus-dist:"
              + VERSION
              + ":tar.gz");
    }
    try {
      Files.createDirectories(home);
      Process tar =
          new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", home.toString())
              .redirectErrorStream(true)
              .start();
      String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (tar.waitFor() != 0) {
        throw new IllegalStateException("Could not unpack " + archive + ": " + output);
      }
      return dist;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while unpacking Keycloak", e);
    }
  }

  /** The demo realm for the app at {@code appUrl}; the previous run's realm data is dropped. */
  private static void writeRealm(Path dist, String appUrl, Map<String, String> secrets) {
    try (InputStream in =
        KeycloakServer.class.getResourceAsStream("/keycloak/tuneforge-realm.json")) {
      if (in == null) {
        throw new IllegalStateException("keycloak/tuneforge-realm.json is missing");
      }
      String realm =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .replace("@APP_URL@", appUrl)
              .replace("@CLIENT_SECRET@", secrets.get("client"))
              .replace("@ADA_PASSWORD@", secrets.get(ADMIN_USER))
              .replace("@MAX_PASSWORD@", secrets.get(MEMBER_USER));
      Path h2 = dist.resolve("data/h2");
      if (Files.isDirectory(h2)) {
        try (Stream<Path> files = Files.walk(h2)) {
          for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(file);
          }
        }
      }
      Path imports = Files.createDirectories(dist.resolve("data/import"));
      S3ProxyServer.writePrivately(imports.resolve("tuneforge-realm.json"), realm);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Stops Keycloak: its JVM first, politely ({@code kc.sh} may outlive it as its parent), then the
   * script.
   */
  @Override
  public void close() {
    for (ProcessHandle child : process.process().toHandle().descendants().toList()) {
      child.destroy();
      try {
        child.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        child.destroyForcibly();
      }
    }
    process.stop(Duration.ofSeconds(20));
  }

  @Override
  public String toString() {
    return "Keycloak on port " + port;
  }
}
