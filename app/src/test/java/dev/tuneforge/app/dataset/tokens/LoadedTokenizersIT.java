package dev.tuneforge.app.dataset.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.catalog.ModelImport;
import dev.tuneforge.app.catalog.TinyModelFolder;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.chat.ChatDataset;
import dev.tuneforge.chat.Conversation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * A model's tokenizer is loaded from object storage once and kept between counts, which measure
 * exactly as a counter on freshly loaded files does; two counts at once each have their own, and
 * files replaced under the model are loaded again.
 */
@SpringBootTest
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class LoadedTokenizersIT {
  private static final Conversation ROW =
      ChatDataset.parse(
          1,
          "{\"messages\":[{\"role\":\"user\",\"content\":\"total date shop\"},"
              + "{\"role\":\"assistant\",\"content\":\"{ total }\"}]}");

  @Autowired LoadedTokenizers tokenizers;
  @Autowired CatalogService catalog;
  @Autowired ObjectStorage storage;
  @TempDir Path temp;

  @Test
  void aTokenizerIsLoadedOnceForCountsInTurnAndAgainForACountBesideOrChangedFiles()
      throws Exception {
    Path folder = temp.resolve("tiny");
    TinyModelFolder.write(folder);
    BaseModel model =
        catalog.importPlatformDirectory(ModelImport.of("Acme/Tokens-" + UUID.randomUUID()), folder);
    TokenLengthCounter.Row fresh;
    try (TokenLengthCounter counter = TokenLengthCounter.forModel(folder)) {
      fresh = counter.measure(ROW, 1024);
    }
    assertThat(fresh.length()).isPositive();
    int loadsBefore = tokenizers.loads();

    for (int count = 1; count <= 3; count++) {
      try (TokenLengthCounter counter = tokenizers.counter(model)) {
        assertThat(counter.measure(ROW, 1024)).as("count %d", count).isEqualTo(fresh);
      }
    }
    assertThat(tokenizers.loads() - loadsBefore).as("counts one after another").isEqualTo(1);

    try (TokenLengthCounter first = tokenizers.counter(model);
        TokenLengthCounter second = tokenizers.counter(model)) {
      assertThat(first.measure(ROW, 1024)).isEqualTo(second.measure(ROW, 1024)).isEqualTo(fresh);
    }
    assertThat(tokenizers.loads() - loadsBefore).as("a second count at once").isEqualTo(2);

    // The tokenizer's config uploaded again, rewritten: the model's files are not the kept ones.
    Path config = folder.resolve("tokenizer_config.json");
    Files.writeString(config, Files.readString(config) + "\n");
    storage.put(model.getObjectPrefix() + "tokenizer_config.json", config, "application/json");
    TokenLengthCounter.Row changed;
    try (TokenLengthCounter counter = tokenizers.counter(model)) {
      changed = counter.measure(ROW, 1024);
    }
    assertThat(tokenizers.loads() - loadsBefore).as("files replaced").isEqualTo(3);
    try (TokenLengthCounter counter = TokenLengthCounter.forModel(folder)) {
      assertThat(changed).isEqualTo(counter.measure(ROW, 1024));
    }
  }
}
