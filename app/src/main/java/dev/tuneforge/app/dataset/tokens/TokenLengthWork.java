package dev.tuneforge.app.dataset.tokens;

import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.work.TenantWork;
import dev.tuneforge.app.work.WorkContext;
import dev.tuneforge.app.work.WorkFailed;
import dev.tuneforge.app.work.WorkKind;
import dev.tuneforge.chat.ChatDataset;
import dev.tuneforge.chat.Conversation;
import dev.tuneforge.chat.DatasetException;
import dev.tuneforge.chat.ModelFileException;
import dev.tuneforge.chat.PreferenceDataset;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Runs one count: takes the model's tokenizer ({@link LoadedTokenizers}), fetches the version's
 * training file into a temporary folder, measures every row with {@link TokenLengthCounter} in
 * batches, reporting progress, and stores the summary. A failure is stored with its reason; nothing
 * else changes.
 */
@Component
@EnableConfigurationProperties(TokenLengthLimits.class)
class TokenLengthWork implements TenantWork<TokenLengthStats> {
  static final WorkKind<TokenLengthStats> KIND =
      WorkKind.of("token-lengths", TokenLengthStats.class);
  private static final Logger log = LoggerFactory.getLogger(TokenLengthWork.class);
  static final int BATCH_ROWS = 256;
  static final int BATCH_CHARS = 4 << 20;

  private final DatasetService datasets;
  private final CatalogService catalog;
  private final ObjectStorage storage;
  private final ApplicationEventPublisher publisher;
  private final TokenLengthLimits limits;
  private final LoadedTokenizers tokenizers;

  TokenLengthWork(
      DatasetService datasets,
      CatalogService catalog,
      ObjectStorage storage,
      ApplicationEventPublisher publisher,
      TokenLengthLimits limits,
      LoadedTokenizers tokenizers) {
    this.limits = limits;
    this.tokenizers = tokenizers;
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
      String key =
          datasets
              .trainingFileKey(found.getDatasetVersionId())
              .orElseThrow(() -> new IllegalStateException("The dataset version no longer exists"));
      limits.checkSize(storage.sizes(key).getOrDefault(key, 0L));
      Path train = folder.resolve("train.jsonl");
      try (InputStream in = storage.tenantOpen(key)) {
        Files.copy(in, train, StandardCopyOption.REPLACE_EXISTING);
      }
      boolean pairs =
          datasets
              .findVersion(found.getDatasetVersionId())
              .map(DatasetSummary::preferencePairs)
              .orElse(false);
      int rows = rowCount(train);
      work.update(s -> s.counting(rows));
      TokenLengths.Summary summary = count(work, model, train, rows, found.getMaxLength(), pairs);
      work.update(s -> s.succeed(summary, work.now()));
      log.info(
          "Token lengths of version {} under {}: {} rows, {} over {} tokens, {} left out",
          found.getDatasetVersionId(),
          model.getName(),
          summary.rows(),
          summary.truncatedRows(),
          found.getMaxLength(),
          summary.droppedRows());
    } catch (DatasetException | ModelFileException | TokenLengthLimits.TooLarge e) {
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
   * Reads the rows as {@link ChatDataset} reads them for the trainer, {@link #BATCH_ROWS} at a time
   * (or fewer, up to {@link #BATCH_CHARS} of text), so memory stays bounded by the lengths and one
   * batch, not the whole text. When spliced renderings turn out wrong, the rows are counted again,
   * each rendered in full. A preference pair is read as {@link PreferenceDataset} reads it for DPO
   * and measured as the two rows the trainer truncates, the prompt with each answer ({@link
   * Tally#addPairs}).
   */
  private TokenLengths.Summary count(
      WorkContext<TokenLengthStats> work,
      BaseModel model,
      Path train,
      int rows,
      int maxLength,
      boolean pairs)
      throws IOException, TokenLengthLimits.TooLarge {
    try (TokenLengthCounter counter = tokenizers.counter(model)) {
      try {
        return count(work, counter, train, rows, maxLength, pairs);
      } catch (TokenLengthCounter.SplicingFailed e) {
        log.warn("Counting {} again: {}", train, e.getMessage());
        return count(work, counter, train, rows, maxLength, pairs);
      } finally {
        log.debug("Token lengths of {}: {}", train, counter.renderingSummary());
      }
    }
  }

  private TokenLengths.Summary count(
      WorkContext<TokenLengthStats> work,
      TokenLengthCounter counter,
      Path train,
      int rows,
      int maxLength,
      boolean pairs)
      throws IOException, TokenLengthLimits.TooLarge {
    Instant started = work.now();
    Tally tally = new Tally(rows, maxLength, pairs);
    List<Conversation> batch = new ArrayList<>();
    long chars = 0;
    try (BufferedReader reader = Files.newBufferedReader(train, StandardCharsets.UTF_8)) {
      int number = 0;
      int read = 0;
      for (String line = reader.readLine(); line != null && read < rows; line = reader.readLine()) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        read++;
        if (pairs) {
          PreferenceDataset.Pair pair = PreferenceDataset.parse(number, line);
          batch.add(pair.chosen());
          batch.add(pair.rejected());
        } else {
          batch.add(ChatDataset.parse(number, line));
        }
        chars += line.length();
        if (batch.size() >= BATCH_ROWS || chars >= BATCH_CHARS) {
          tally.add(counter.measureAll(batch, maxLength));
          batch.clear();
          chars = 0;
          int progress = tally.done;
          work.progress(s -> s.progress(progress));
          limits.checkTime(started, work.now(), progress, rows);
        }
      }
    }
    limits.checkTime(started, work.now(), tally.done, rows);
    if (!batch.isEmpty()) {
      tally.add(counter.measureAll(batch, maxLength));
    }
    return tally.summary();
  }

  /** The figures of the rows measured so far. */
  private static final class Tally {
    private final int[] lengths;
    private final int maxLength;
    private final boolean pairs;
    private int done;
    private long assistant;
    private long lost;
    private int dropped;
    private int keepsEveryRow;

    Tally(int rows, int maxLength, boolean pairs) {
      this.lengths = new int[rows];
      this.maxLength = maxLength;
      this.pairs = pairs;
    }

    void add(List<TokenLengthCounter.Row> rows) {
      if (pairs) {
        addPairs(rows);
        return;
      }
      for (TokenLengthCounter.Row row : rows) {
        lengths[done++] = row.length();
        assistant += row.assistantTokens();
        lost += row.assistantTokensLost();
        dropped += row.dropped() ? 1 : 0;
        keepsEveryRow = Math.max(keepsEveryRow, row.firstTarget() + 1);
      }
    }

    /**
     * Rows measured two by two, a pair's chosen and rejected answers each with the prompt, counted
     * as DPO's trainer counts them ({@code EncodedPairs}): a pair is as long as its longer row and
     * truncated when that one is, and left out when either row keeps no answer token.
     */
    private void addPairs(List<TokenLengthCounter.Row> rows) {
      for (int i = 0; i + 1 < rows.size(); i += 2) {
        TokenLengthCounter.Row chosen = rows.get(i);
        TokenLengthCounter.Row rejected = rows.get(i + 1);
        lengths[done++] = Math.max(chosen.length(), rejected.length());
        assistant += chosen.assistantTokens() + rejected.assistantTokens();
        lost += chosen.assistantTokensLost() + rejected.assistantTokensLost();
        dropped += chosen.dropped() || rejected.dropped() ? 1 : 0;
        keepsEveryRow =
            Math.max(keepsEveryRow, Math.max(chosen.firstTarget(), rejected.firstTarget()) + 1);
      }
    }

    TokenLengths.Summary summary() {
      return TokenLengthSummaries.of(
          Arrays.copyOf(lengths, done), maxLength, assistant, lost, dropped, keepsEveryRow);
    }
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

  static void deleteQuietly(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      folder.toFile().deleteOnExit();
    }
  }
}
