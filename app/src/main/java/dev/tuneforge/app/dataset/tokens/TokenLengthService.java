package dev.tuneforge.app.dataset.tokens;

import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetVersionStored;
import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.app.work.WorkRunner;
import java.time.Clock;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Token lengths of the calling tenant's dataset versions under the catalogue's base models. Every
 * stored version is counted under the default model at {@link #DEFAULT_MAX_LENGTH}; other models
 * and lengths are counted when asked for. Other tenants' versions are not found.
 */
@Service
public class TokenLengthService {
  public static final int DEFAULT_MAX_LENGTH = 2048;
  public static final int MAX_MAX_LENGTH = 1_048_576;
  private static final Logger log = LoggerFactory.getLogger(TokenLengthService.class);

  private final TokenLengthStatsRepository stats;
  private final DatasetService datasets;
  private final CatalogService catalog;
  private final WorkRunner runner;
  private final TransactionTemplate transactions;
  private final ApplicationEventPublisher publisher;
  private final Clock clock;

  TokenLengthService(
      TokenLengthStatsRepository stats,
      DatasetService datasets,
      CatalogService catalog,
      WorkRunner runner,
      TransactionTemplate transactions,
      ApplicationEventPublisher publisher,
      Clock clock) {
    this.stats = stats;
    this.datasets = datasets;
    this.catalog = catalog;
    this.runner = runner;
    this.transactions = transactions;
    this.publisher = publisher;
    this.clock = clock;
  }

  /** The model a new version is counted under: the catalogue's most recently added. */
  public Optional<BaseModel> defaultModel() {
    return catalog.list().stream().max(Comparator.comparing(BaseModel::getCreatedAt));
  }

  /**
   * The count for this version, model and length, in whatever state it is; empty if never asked
   * for.
   */
  public Optional<TokenLengths> find(UUID versionId, UUID baseModelId, int maxLength) {
    return stats
        .findByDatasetVersionIdAndBaseModelIdAndMaxLength(versionId, baseModelId, maxLength)
        .map(TokenLengthStats::view);
  }

  /**
   * The count for this version, model and length, queued in the background unless it exists (a
   * failed one, or one made before counts told the rows left out, is queued again).
   *
   * @throws IllegalArgumentException naming an unknown version or model or a length out of range
   */
  public TokenLengths request(UUID versionId, UUID baseModelId, int maxLength) {
    UUID tenant = TenantContext.requireTenant();
    if (maxLength < 2 || maxLength > MAX_MAX_LENGTH) {
      throw new IllegalArgumentException(
          "The maximum length must be between 2 and " + MAX_MAX_LENGTH + " tokens");
    }
    if (datasets.findVersion(versionId).isEmpty()) {
      throw new IllegalArgumentException("No such dataset");
    }
    BaseModel model =
        catalog
            .find(baseModelId)
            .orElseThrow(() -> new IllegalArgumentException("No such base model"));
    TokenLengthStats queued =
        transactions.execute(
            status -> {
              TokenLengthStats found =
                  stats
                      .findByDatasetVersionIdAndBaseModelIdAndMaxLength(
                          versionId, baseModelId, maxLength)
                      .orElse(null);
              if (found != null && !found.wanted()) {
                return found;
              }
              TokenLengthStats row =
                  found != null
                      ? found
                      : new TokenLengthStats(
                          versionId, model.getId(), model.getName(), maxLength, clock.instant());
              row.queueAgain();
              TokenLengthStats saved = stats.save(row);
              runner.submit(TokenLengthWork.KIND, saved.getId());
              return saved;
            });
    publisher.publishEvent(new TokenLengthsProgressed(tenant, versionId));
    return queued.view();
  }

  /** Counts every new version under the default model; an upload never fails for it. */
  @EventListener
  void versionStored(DatasetVersionStored stored) {
    try {
      TenantContext.runAs(
          stored.tenantId(),
          () ->
              defaultModel()
                  .ifPresent(
                      model -> request(stored.versionId(), model.getId(), DEFAULT_MAX_LENGTH)));
    } catch (RuntimeException e) {
      log.warn("Could not queue the token count of dataset version {}", stored.versionId(), e);
    }
  }
}
