package dev.tuneforge.trainingnode.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

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
}
