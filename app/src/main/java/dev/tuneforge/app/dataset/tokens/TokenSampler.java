package dev.tuneforge.app.dataset.tokens;

import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.chat.ChatDataset;
import dev.tuneforge.chat.DatasetException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Bytes per token of a dataset version under a base model, measured with the model's real tokenizer
 * and chat template on the version's first rows: what a cost estimate uses while the exact count is
 * not there. Versions and models do not change, so each answer is kept; so is a failure, which is
 * not tried again for a while ({@link SamplingBackoff}), as dispatch asks on every tick.
 */
@Service
public class TokenSampler {
  /** Rows measured; enough for a stable ratio, few enough to answer a form at once. */
  static final int SAMPLE_ROWS = 64;

  private static final Logger log = LoggerFactory.getLogger(TokenSampler.class);

  private final DatasetService datasets;
  private final CatalogService catalog;
  private final ObjectStorage storage;
  private final Map<List<UUID>, Double> measured = new ConcurrentHashMap<>();
  private final SamplingBackoff<List<UUID>> failed;
  private final LoadedTokenizers tokenizers;

  TokenSampler(
      DatasetService datasets,
      CatalogService catalog,
      ObjectStorage storage,
      Clock clock,
      LoadedTokenizers tokenizers) {
    this.tokenizers = tokenizers;
    this.datasets = datasets;
    this.catalog = catalog;
    this.storage = storage;
    this.failed = new SamplingBackoff<>(clock);
  }

  /**
   * UTF-8 bytes of the stored rows per token of the rendered rows, as the calling tenant; empty
   * when the version or model is not found or the sample cannot be read.
   */
  public OptionalDouble bytesPerToken(UUID versionId, UUID baseModelId) {
    List<UUID> key = List.of(versionId, baseModelId);
    Double known = measured.get(key);
    if (known != null) {
      return OptionalDouble.of(known);
    }
    if (!failed.mayTry(key)) {
      return OptionalDouble.empty();
    }
    Optional<String> file = datasets.trainingFileKey(versionId);
    Optional<BaseModel> model = catalog.find(baseModelId);
    if (file.isEmpty() || model.isEmpty()) {
      return OptionalDouble.empty();
    }
    try {
      double ratio = measure(file.get(), model.get());
      measured.put(key, ratio);
      failed.succeeded(key);
      return OptionalDouble.of(ratio);
    } catch (IOException | RuntimeException e) {
      // Storage out of reach or a row the template refuses: the estimate falls back, never fails.
      Duration backoff = failed.failed(key);
      log.warn(
          "Could not sample the tokens of dataset version {}; not tried again for {}",
          versionId,
          backoff,
          e);
      return OptionalDouble.empty();
    }
  }

  private double measure(String fileKey, BaseModel model) throws IOException {
    long bytes = 0;
    long tokens = 0;
    try (TokenLengthCounter counter = tokenizers.counter(model);
        InputStream in = storage.tenantOpen(fileKey);
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      int number = 0;
      int rows = 0;
      for (String line = reader.readLine();
          line != null && rows < SAMPLE_ROWS;
          line = reader.readLine()) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        tokens += counter.measure(ChatDataset.parse(number, line), Integer.MAX_VALUE).length();
        bytes += line.getBytes(StandardCharsets.UTF_8).length + 1;
        rows++;
      }
    }
    if (tokens == 0) {
      throw new DatasetException("the dataset has no examples");
    }
    return (double) bytes / tokens;
  }
}
