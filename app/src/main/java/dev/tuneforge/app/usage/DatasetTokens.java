package dev.tuneforge.app.usage;

import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.dataset.tokens.TokenLengthService;
import dev.tuneforge.app.dataset.tokens.TokenLengths;
import dev.tuneforge.app.dataset.tokens.TokenSampler;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.stream.IntStream;
import org.springframework.stereotype.Component;

/**
 * The tokens one pass over a dataset version trains under a base model, after truncation to the
 * maximum sequence length: from the version's exact count under that model when there is one, else
 * from its size and the bytes per token the model's tokenizer gives on a sample of its rows.
 */
@Component
class DatasetTokens {
  /** What a pass holds: rows, tokens after truncation, assistant tokens per row, and the source. */
  record Pass(int rows, long tokens, double assistantTokensPerRow, String basis) {
    double tokensPerRow() {
      return rows == 0 ? 0 : (double) tokens / rows;
    }
  }

  private final DatasetService datasets;
  private final TokenLengthService counts;
  private final TokenSampler sampler;

  DatasetTokens(DatasetService datasets, TokenLengthService counts, TokenSampler sampler) {
    this.datasets = datasets;
    this.counts = counts;
    this.sampler = sampler;
  }

  /**
   * @throws IllegalArgumentException when the version is not the caller's
   */
  Pass of(UUID versionId, UUID baseModelId, int maxLength) {
    DatasetSummary dataset =
        datasets
            .findVersion(versionId)
            .orElseThrow(() -> new IllegalArgumentException("Choose one of your datasets"));
    TokenLengths.Summary exact =
        IntStream.of(maxLength, TokenLengthService.DEFAULT_MAX_LENGTH)
            .mapToObj(length -> counts.find(versionId, baseModelId, length))
            .flatMap(java.util.Optional::stream)
            .filter(c -> c.status() == TokenLengths.Status.SUCCEEDED && c.summary() != null)
            .map(TokenLengths::summary)
            .findFirst()
            .orElse(null);
    if (exact != null && exact.rows() > 0) {
      return new Pass(
          exact.rows(),
          truncated(exact, maxLength),
          (double) exact.assistantTokens() / exact.rows(),
          "exact count");
    }
    OptionalDouble bytesPerToken = sampler.bytesPerToken(versionId, baseModelId);
    double ratio = bytesPerToken.orElse(4.0);
    long tokens = Math.round(dataset.sizeBytes() / ratio);
    long perRow = dataset.rows() == 0 ? 0 : tokens / dataset.rows();
    return new Pass(
        dataset.rows(),
        Math.min(tokens, (long) dataset.rows() * maxLength),
        perRow / 2.0,
        bytesPerToken.isPresent()
            ? String.format(java.util.Locale.ROOT, "%.2f bytes per token, sampled", ratio)
            : "4 bytes per token, assumed");
  }

  /**
   * The rows' tokens with each row cut at {@code maxLength}; the rows beyond it are taken at the
   * middle of their histogram bin.
   */
  static long truncated(TokenLengths.Summary summary, int maxLength) {
    double total = summary.meanTokens() * summary.rows();
    double cut = 0;
    for (TokenLengths.Bin bin : summary.histogram()) {
      double middle = (bin.from() + Math.min(bin.to(), summary.maxTokens() + 1)) / 2.0;
      if (middle > maxLength) {
        cut += (middle - maxLength) * bin.rows();
      }
    }
    return Math.round(Math.max(0, total - cut));
  }
}
