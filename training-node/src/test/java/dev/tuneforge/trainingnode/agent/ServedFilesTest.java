package dev.tuneforge.trainingnode.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.tuneforge.protocol.ModelFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's adapter files on disk within their bound: past it the least recently used adapter is
 * deleted from disk and downloaded again at its next use, with the same bytes; an adapter a
 * generation in flight uses is never deleted, even when it alone is over the bound; base models are
 * not trimmed.
 */
class ServedFilesTest {
  private static final int ADAPTER_BYTES = 1000;

  @TempDir Path root;
  private HttpServer server;
  private final Map<String, AtomicInteger> downloads = new ConcurrentHashMap<>();
  private ServedFiles files;

  @BeforeEach
  void objectStore() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String name = exchange.getRequestURI().getPath().substring(1);
          downloads.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
          if (name.startsWith("expired/")) {
            // as storage answers a presigned URL past its lifetime
            exchange.sendResponseHeaders(403, -1);
            exchange.close();
            return;
          }
          byte[] body = (name + "-").repeat(ADAPTER_BYTES).substring(0, ADAPTER_BYTES).getBytes();
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    // room for two adapters of 1,000 bytes (and their markers), not three
    files =
        new ServedFiles(root, new Transfers(HttpClient.newHttpClient()), 2 * ADAPTER_BYTES + 200);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void theLeastRecentlyUsedAdapterIsDeletedFromDiskAndDownloadedAgainAtItsNextUse()
      throws Exception {
    Path a = use("a");
    Path b = use("b");
    use("a");
    use("c");
    assertThat(a.resolve("adapter_model.safetensors")).as("used again, so kept").exists();
    assertThat(b).as("the least recently used, deleted").doesNotExist();
    assertThat(downloads.get("b").get()).isEqualTo(1);

    Path again = use("b");
    assertThat(again).isEqualTo(b);
    assertThat(Files.readString(b.resolve("adapter_model.safetensors")))
        .startsWith("b-b-")
        .hasSize(ADAPTER_BYTES);
    assertThat(downloads.get("b").get()).as("downloaded again").isEqualTo(2);
    assertThat(downloads.get("a").get()).as("never deleted, so once").isEqualTo(1);
  }

  @Test
  void anAdapterAGenerationUsesIsNeverDeleted() throws Exception {
    Path a = files.fetch(ServedFiles.ADAPTERS, adapter("a"));
    Thread.sleep(20);
    use("b");
    use("c");
    use("d");
    assertThat(a.resolve("adapter_model.safetensors"))
        .as("in use, though the least recently used")
        .exists();
    files.release(a);
    use("e");
    assertThat(a).as("deleted once released").doesNotExist();
  }

  @Test
  void baseModelsAreNotTrimmed() throws Exception {
    Path base = files.fetch("models", new ModelFiles("models/base/", Map.of("m", url("m"))));
    files.release(base);
    for (String name : new String[] {"a", "b", "c"}) {
      use(name);
    }
    assertThat(base.resolve("m")).exists();
  }

  @Test
  void aFileStorageRefusesIsFetchedWithTheUrlTheAppSignsAgainOrFailsWithBothReasons()
      throws Exception {
    ModelFiles stale =
        new ModelFiles(
            "models/large/",
            Map.of("config.json", url("c"), "model.safetensors", url("expired/m")));
    AtomicInteger asked = new AtomicInteger();
    Path folder =
        files.fetch(
            "models",
            stale,
            () -> {
              asked.incrementAndGet();
              return Optional.of(
                  new ModelFiles(
                      "models/large/",
                      Map.of("config.json", url("c"), "model.safetensors", url("m"))));
            });
    assertThat(Files.readString(folder.resolve("model.safetensors"))).startsWith("m-m-");
    assertThat(asked).as("asked once, for the refused file").hasValue(1);
    files.release(folder);

    ModelFiles ended =
        new ModelFiles("job-ended", Map.of("adapter_model.safetensors", url("expired/e")));
    assertThatThrownBy(
            () ->
                files.fetch(
                    ServedFiles.ADAPTERS,
                    ended,
                    () -> {
                      throw new IOException("HTTP 409: this node runs no such generation");
                    }))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("could not download adapter_model.safetensors of job-ended")
        .hasMessageContaining("HTTP 403")
        .hasMessageContaining("this node runs no such generation");
    assertThatThrownBy(() -> files.fetch(ServedFiles.ADAPTERS, ended))
        .as("an app that signs none: storage's refusal")
        .isInstanceOf(IOException.class);
    assertThat(
            root.resolve(ServedFiles.ADAPTERS)
                .resolve(ServedFiles.folderName("job-ended"))
                .resolve(".complete"))
        .as("nothing marked complete")
        .doesNotExist();
  }

  /** A generation fetches the adapter, uses it and ends. */
  private Path use(String name) throws Exception {
    Path folder = files.fetch(ServedFiles.ADAPTERS, adapter(name));
    files.release(folder);
    // marker times order the uses: keep them apart on coarse file systems
    Thread.sleep(20);
    return folder;
  }

  private ModelFiles adapter(String name) {
    return new ModelFiles("job-" + name, Map.of("adapter_model.safetensors", url(name)));
  }

  private String url(String name) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
  }
}
