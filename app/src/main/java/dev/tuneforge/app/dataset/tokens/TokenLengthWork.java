package dev.tuneforge.app.dataset.tokens;

import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.work.TenantWork;
import dev.tuneforge.app.work.WorkContext;
import dev.tuneforge.app.work.WorkFailed;
import dev.tuneforge.app.work.WorkKind;
import dev.tuneforge.chat.ChatDataset;
import dev.tuneforge.chat.DatasetException;
import dev.tuneforge.chat.ModelFileException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Runs one count: fetches the model's tokenizer files and the version's training file into a
 * temporary folder, measures every row with {@link TokenLengthCounter}, reporting progress, and
 * stores the summary. A failure is stored with its reason; nothing else changes.
 */
@Component
class TokenLengthWork implements TenantWork<TokenLengthStats> {
  static final WorkKind<TokenLengthStats> KIND =
      WorkKind.of("token-lengths", TokenLengthStats.class);
  private static final Logger log = LoggerFactory.getLogger(TokenLengthWork.class);

  private final DatasetService datasets;
  private final CatalogService catalog;
  private final ObjectStorage storage;
  private final ApplicationEventPublisher publisher;

  TokenLengthWork(
      DatasetService datasets,
      CatalogService catalog,
      ObjectStorage storage,
      ApplicationEventPublisher publisher) {
    this.datasets = datasets;
    this.catalog = catalog;
    this.storage = storage;
    this.publisher = publisher;
  }

  @Override
  public WorkKind<TokenLengthStats> kind() {
    return KIND;
  }

  @Override
  public void run(WorkContext<TokenLengthStats> work) throws IOException {
    TokenLengthStats found = work.run();
    Path folder = Files.createTempDirectory("tuneforge-token-lengths-");
    try {
      BaseModel model =
          catalog
              .find(found.getBaseModelId())
              .orElseThrow(
                  () -> new IllegalStateException("The base model is no longer in the catalogue"));
      Path modelDir = Files.createDirectory(folder.resolve("model"));
      fetchTokenizer(storage, model, modelDir);
      String key =
          datasets
              .trainingFileKey(found.getDatasetVersionId())
              .orElseThrow(() -> new IllegalStateException("The dataset version no longer exists"));
      Path train = folder.resolve("train.jsonl");
      try (InputStream in = storage.tenantOpen(key)) {
        Files.copy(in, train, StandardCopyOption.REPLACE_EXISTING);
      }
      int rows = rowCount(train);
      work.update(s -> s.counting(rows));
      TokenLengths.Summary summary = count(work, modelDir, train, rows, found.getMaxLength());
      work.update(s -> s.succeed(summary, work.now()));
      log.info(
          "Token lengths of version {} under {}: {} rows, {} over {} tokens",
          found.getDatasetVersionId(),
          model.getName(),
          summary.rows(),
          summary.truncatedRows(),
          found.getMaxLength());
    } catch (DatasetException | ModelFileException e) {
      throw new WorkFailed(String.valueOf(e.getMessage()));
    } finally {
      deleteQuietly(folder);
    }
  }

  @Override
  public void changed(TokenLengthStats stats) {
    publisher.publishEvent(
        new TokenLengthsProgressed(stats.getTenantId(), stats.getDatasetVersionId()));
  }

  /**
   * Reads the rows one at a time, as {@link ChatDataset} reads them for the trainer, so memory
   * stays bounded by the lengths, not the text.
   */
  private TokenLengths.Summary count(
      WorkContext<TokenLengthStats> work, Path modelDir, Path train, int rows, int maxLength)
      throws IOException {
    int[] lengths = new int[rows];
    int done = 0;
    long assistant = 0;
    long lost = 0;
    try (TokenLengthCounter counter = TokenLengthCounter.forModel(modelDir);
        BufferedReader reader = Files.newBufferedReader(train, StandardCharsets.UTF_8)) {
      int number = 0;
      for (String line = reader.readLine(); line != null && done < rows; line = reader.readLine()) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        TokenLengthCounter.Row row = counter.measure(ChatDataset.parse(number, line), maxLength);
        lengths[done++] = row.length();
        assistant += row.assistantTokens();
        lost += row.assistantTokensLost();
        int progress = done;
        work.progress(s -> s.progress(progress));
      }
    }
    return TokenLengthSummaries.of(Arrays.copyOf(lengths, done), maxLength, assistant, lost);
  }

  private static int rowCount(Path train) throws IOException {
    int rows = 0;
    try (BufferedReader reader = Files.newBufferedReader(train, StandardCharsets.UTF_8)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank()) {
          rows++;
        }
      }
    }
    if (rows == 0) {
      throw new DatasetException("the dataset has no examples");
    }
    return rows;
  }

  /**
   * The tokenizer files under the model's prefix in the shared catalogue; the weights stay where
   * they are.
   */
  static void fetchTokenizer(ObjectStorage storage, BaseModel model, Path modelDir)
      throws IOException {
    for (String file : TokenLengthCounter.MODEL_FILES) {
      String key = model.getObjectPrefix() + file;
      if (!storage.exists(key)) {
        continue;
      }
      try (InputStream in = storage.open(key)) {
        Files.copy(in, modelDir.resolve(file));
      }
    }
  }

  static void deleteQuietly(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      folder.toFile().deleteOnExit();
    }
  }
}
