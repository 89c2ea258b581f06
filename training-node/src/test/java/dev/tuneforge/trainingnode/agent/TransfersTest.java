package dev.tuneforge.trainingnode.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransfersTest {
  private final Path jobDir = Path.of("/work/jobs/42");

  @Test
  void placesFilesUnderTheJobFolder() {
    assertThat(Transfers.resolveInside(jobDir, "model/tokenizer.json"))
        .isEqualTo(Path.of("/work/jobs/42/model/tokenizer.json"));
  }

  @Test
  void refusesPathsThatCouldEscapeTheJobFolder() {
    for (String path :
        new String[] {"../credential", "data/../../x", "/etc/passwd", "", "a\\..\\b", "./x"}) {
      assertThatThrownBy(() -> Transfers.resolveInside(jobDir, path))
          .as(path)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aRefusedConnectionIsReportedByItsClassAndCauses(@TempDir Path dir) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path file = Files.writeString(dir.resolve("adapter.safetensors"), "weights");
    Transfers transfers = new Transfers(HttpClient.newHttpClient());

    assertThatThrownBy(() -> transfers.upload(file, URI.create("http://127.0.0.1:" + port + "/x")))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("upload of adapter.safetensors failed after 3 attempts: ")
        .hasMessageContaining("java.net.ConnectException")
        .hasMessageNotContaining("null");
  }
}
