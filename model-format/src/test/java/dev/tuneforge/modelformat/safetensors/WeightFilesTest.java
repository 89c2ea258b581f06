package dev.tuneforge.modelformat.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.modelformat.folder.ModelFolder;
import dev.tuneforge.modelformat.folder.ModelInspector;
import dev.tuneforge.modelformat.folder.ModelRejectedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SafeTensors#readFolder} reads the files inspection names as the weights ({@link
 * ModelInspector#weightFiles}), so that what the node loads and exports is what the catalogue
 * checked: the shards the index lists (even beside a {@code model.safetensors}), else {@code
 * model.safetensors}, never a {@code consolidated.safetensors} or an optimizer's state beside them;
 * a folder without weights, or whose index points outside it, is refused naming the file.
 */
class WeightFilesTest {
  private static final Tensor ONE = new Tensor(new long[] {1}, new float[] {1});
  private static final Tensor TWO = new Tensor(new long[] {2}, new float[] {2, 2});
  private static final Tensor STRAY = new Tensor(new long[] {1}, new float[] {-9});

  @TempDir Path dir;

  @Test
  void readsTheShardsTheIndexListsAndNothingBesideThem() throws IOException {
    SafeTensors.write(dir.resolve("model-00001-of-00002.safetensors"), Map.of("a", ONE), Map.of());
    SafeTensors.write(dir.resolve("model-00002-of-00002.safetensors"), Map.of("b", TWO), Map.of());
    index(
        "{\"a\": \"model-00001-of-00002.safetensors\", \"b\": \"model-00002-of-00002.safetensors\"}");
    SafeTensors.write(dir.resolve("consolidated.safetensors"), Map.of("a", STRAY), Map.of());
    SafeTensors.write(dir.resolve("optimizer.safetensors"), Map.of("c", STRAY), Map.of());
    SafeTensors.write(dir.resolve("model.safetensors"), Map.of("a", STRAY), Map.of());

    assertThat(ModelInspector.weightFiles(ModelFolder.of(dir)))
        .containsExactly("model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors");
    assertThat(SafeTensors.readFolder(dir)).containsOnly(Map.entry("a", ONE), Map.entry("b", TWO));
  }

  @Test
  void readsModelSafetensorsAloneWithoutAnIndex() throws IOException {
    SafeTensors.write(dir.resolve("model.safetensors"), Map.of("a", ONE, "b", TWO), Map.of());
    SafeTensors.write(dir.resolve("consolidated.safetensors"), Map.of("a", STRAY), Map.of());
    SafeTensors.write(dir.resolve("optimizer.safetensors"), Map.of("c", STRAY), Map.of());

    assertThat(ModelInspector.weightFiles(ModelFolder.of(dir)))
        .containsExactly("model.safetensors");
    assertThat(SafeTensors.readFolder(dir)).containsOnly(Map.entry("a", ONE), Map.entry("b", TWO));
  }

  @Test
  void refusesAFolderWithoutWeightsInspectionWouldAccept() throws IOException {
    SafeTensors.write(dir.resolve("consolidated.safetensors"), Map.of("a", ONE), Map.of());

    assertThatThrownBy(() -> SafeTensors.readFolder(dir))
        .isInstanceOfSatisfying(
            ModelRejectedException.class, e -> assertThat(e.file()).isEqualTo("model.safetensors"));
  }

  @Test
  void refusesAnIndexThatNamesAShardOutsideTheFolderOrAMissingOne() throws IOException {
    Path inner = Files.createDirectories(dir.resolve("model"));
    SafeTensors.write(dir.resolve("outside.safetensors"), Map.of("a", ONE), Map.of());
    Files.writeString(
        inner.resolve("model.safetensors.index.json"),
        "{\"weight_map\": {\"a\": \"../outside.safetensors\"}}");
    assertThatThrownBy(() -> SafeTensors.readFolder(inner))
        .isInstanceOfSatisfying(
            ModelRejectedException.class,
            e -> assertThat(e.file()).isEqualTo("model.safetensors.index.json"));

    index("{\"a\": \"model-00001-of-00002.safetensors\"}");
    assertThatThrownBy(() -> SafeTensors.readFolder(dir))
        .isInstanceOfSatisfying(
            ModelRejectedException.class,
            e -> assertThat(e.file()).isEqualTo("model-00001-of-00002.safetensors"));
  }

  private void index(String weightMap) throws IOException {
    Files.writeString(
        dir.resolve("model.safetensors.index.json"), "{\"weight_map\": " + weightMap + "}");
  }
}
