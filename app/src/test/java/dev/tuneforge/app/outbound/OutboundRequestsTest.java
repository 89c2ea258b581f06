package dev.tuneforge.app.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * Attacks on the outbound-request policy, against real sockets on loopback: what a member who saves
 * a URL can reach, learn and make the app read.
 */
class OutboundRequestsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicLong bytesSent = new AtomicLong();
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void aLoopbackListenerIsRefusedUnlessAnAdministratorAllowsItsHost() throws Exception {
    URI url = startServer(200, "{\"ok\":true}".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> policy(List.of()).postJson(url, Map.of(), "{}", TIMEOUT))
        .isInstanceOf(OutboundFailed.class)
        .hasMessage(OutboundFailed.MESSAGE);
    assertThat(requests).hasValue(0);
    assertThatThrownBy(() -> policy(List.of()).checkedUrl(url.toString()))
        .hasMessageContaining("inside the platform's own network");

    OutboundResponse allowed =
        policy(List.of("127.0.0.1:" + url.getPort())).postJson(url, Map.of(), "{}", TIMEOUT);
    assertThat(allowed.status()).isEqualTo(200);
    assertThat(allowed.text()).isEqualTo("{\"ok\":true}");
    // Allowing a host on one port does not open its other ports.
    assertThatThrownBy(
            () ->
                policy(List.of("127.0.0.1:" + (url.getPort() + 1)))
                    .postJson(url, Map.of(), "{}", TIMEOUT))
        .hasMessage(OutboundFailed.MESSAGE);
    assertThat(requests).hasValue(1);
  }

  @Test
  void namesThatResolveInsideAreRefusedAsLiteralAddressesAre() throws Exception {
    URI url = startServer(200, new byte[0]);
    URI byName = URI.create("http://localhost:" + url.getPort() + "/v1");
    assertThatThrownBy(() -> policy(List.of()).postJson(byName, Map.of(), "{}", TIMEOUT))
        .hasMessage(OutboundFailed.MESSAGE);
    assertThat(requests).hasValue(0);
  }

  @Test
  void internalAndMetadataRangesAreNotPublic() throws Exception {
    for (String internal :
        List.of(
            "127.0.0.1",
            "10.1.2.3",
            "172.31.255.255",
            "192.168.0.1",
            "100.64.0.1",
            "169.254.169.254",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fd00:ec2::254",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::127.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "2002:7f00:1::")) {
      assertThat(AddressRanges.isPublic(InetAddress.getByName(internal))).as(internal).isFalse();
    }
    for (String external : List.of("8.8.8.8", "1.1.1.1", "2606:4700:4700::1111")) {
      assertThat(AddressRanges.isPublic(InetAddress.getByName(external))).as(external).isTrue();
    }
  }

  @Test
  void openClosedAndNonHttpPortsAllGiveTheSameAnswer() throws Exception {
    OutboundRequests policy = policy(List.of("127.0.0.1"));
    URI open = startServer(404, "secret internal page".getBytes(StandardCharsets.UTF_8));
    int closed;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = probe.getLocalPort();
    }
    try (ServerSocket notHttp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual()
          .start(
              () -> {
                try (Socket s = notHttp.accept()) {
                  s.getOutputStream().write("SSH-2.0-OpenSSH_9.2\r\n".getBytes());
                } catch (IOException e) {
                  // the client hung up
                }
              });
      String fromClosed = failure(policy, "http://127.0.0.1:" + closed + "/v1");
      String fromNonHttp = failure(policy, "http://127.0.0.1:" + notHttp.getLocalPort() + "/v1");
      OutboundResponse fromOpen = policy.postJson(open, Map.of(), "{}", TIMEOUT);
      assertThat(fromClosed).isEqualTo(fromNonHttp).isEqualTo(OutboundFailed.MESSAGE);
      // An answer is only handed to the caller, which shows the same message for it (see
      // TeacherPipelineIT); nothing here echoes it.
      assertThat(fromOpen.status()).isEqualTo(404);
    }
  }

  @Test
  void httpIsRefusedUnlessAllowedAndEscapesCannotSmuggleAPathOrQuery() {
    OutboundRequests httpsOnly =
        new OutboundRequests(
            new OutboundProperties(false, List.of(), DataSize.ofMegabytes(1), TIMEOUT));
    assertThatThrownBy(() -> httpsOnly.checkedUrl("http://api.example.com/v1"))
        .hasMessageStartingWith("The base URL must be an https URL");
    assertThat(httpsOnly.checkedUrl("https://api.example.com/v1"))
        .isEqualTo(URI.create("https://api.example.com/v1"));
    for (String smuggling :
        List.of(
            "https://api.example.com/probe%3Fa=b%23",
            "https://api.example.com/v1?x=1",
            "https://api.example.com/v1#x",
            "https://user:pw@api.example.com/v1",
            "ftp://api.example.com/v1",
            "https://169.254.169.254/latest/meta-data",
            "https://[fd00:ec2::254]/")) {
      assertThatThrownBy(() -> httpsOnly.checkedUrl(smuggling))
          .as(smuggling)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void redirectsAreNotFollowed() throws Exception {
    URI target = startServer(200, "{}".getBytes(StandardCharsets.UTF_8));
    try (var redirecting = new Redirector(target)) {
      OutboundResponse response =
          policy(List.of("127.0.0.1")).postJson(redirecting.url(), Map.of(), "{}", TIMEOUT);
      assertThat(response.status()).isEqualTo(307);
      assertThat(requests).hasValue(0);
    }
  }

  @Test
  void a200MegabyteReplyIsCutAtTheCapWithBoundedMemory() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(200, 0); // chunked: no length to refuse up front
          byte[] chunk = new byte[64 * 1024];
          try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < 200 * 16; i++) {
              out.write(chunk);
              bytesSent.addAndGet(chunk.length);
            }
          } catch (IOException e) {
            // the client hung up, as it should
          }
        });
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");

    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
    long started = System.nanoTime();
    assertThatThrownBy(() -> policy(List.of("127.0.0.1")).postJson(url, Map.of(), "{}", TIMEOUT))
        .hasMessage(OutboundFailed.MESSAGE);
    long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    System.out.printf(
        "200 MB reply, cap 1 MiB: server sent %.1f MiB, calling thread allocated %.1f MiB, %d ms%n",
        bytesSent.get() / 1048576.0, allocated / 1048576.0, took.toMillis());
    assertThat(allocated).isLessThan(32L << 20);
    Thread.sleep(200);
    assertThat(bytesSent.get()).isLessThan(64L << 20);
  }

  @Test
  void aReplyThatNeverEndsIsCutAtTheTimeLimit() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < 600; i++) {
              out.write(' ');
              out.flush();
              Thread.sleep(100);
            }
          } catch (IOException | InterruptedException e) {
            // the client hung up
          }
        });
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    long started = System.nanoTime();
    assertThatThrownBy(
            () ->
                policy(List.of("127.0.0.1")).postJson(url, Map.of(), "{}", Duration.ofMillis(800)))
        .hasMessage(OutboundFailed.MESSAGE);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  private static String failure(OutboundRequests policy, String url) {
    try {
      policy.postJson(URI.create(url), Map.of(), "{}", TIMEOUT);
      throw new AssertionError("expected a failure from " + url);
    } catch (OutboundFailed e) {
      return e.getMessage();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static OutboundRequests policy(List<String> allowedHosts) {
    return new OutboundRequests(
        new OutboundProperties(true, allowedHosts, DataSize.ofMegabytes(1), TIMEOUT));
  }

  private URI startServer(int status, byte[] body) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
  }

  /** Answers every request with a redirect to the target. */
  private static final class Redirector implements AutoCloseable {
    private final HttpServer redirector;

    Redirector(URI target) throws IOException {
      redirector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      redirector.createContext(
          "/",
          exchange -> {
            exchange.getResponseHeaders().add("Location", target.toString());
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
          });
      redirector.start();
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + redirector.getAddress().getPort() + "/v1");
    }

    @Override
    public void close() {
      redirector.stop(0);
    }
  }
}
