package dev.tuneforge.app.dataset;

import dev.tuneforge.app.apikey.PublicApi;
import dev.tuneforge.app.dataset.tokens.TokenLengthService;
import dev.tuneforge.app.dataset.tokens.TokenLengths;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Datasets for scripts: the tenant's datasets with their latest versions, one version with its
 * quality report, and its token lengths under a base model once counted (the datasets page starts a
 * count). Another tenant's version is not found, like one that does not exist.
 */
@RestController
@PublicApi
class DatasetApiController {
  private final DatasetService datasets;
  private final TokenLengthService tokenLengths;

  DatasetApiController(DatasetService datasets, TokenLengthService tokenLengths) {
    this.datasets = datasets;
    this.tokenLengths = tokenLengths;
  }

  /** A version, its quality report (null before reports existed) and pairs' report (DPO only). */
  record VersionJson(
      DatasetSummary version,
      @Nullable QualityReport quality,
      @Nullable PreferenceReport preference) {}

  @GetMapping("/api/datasets")
  List<DatasetSummary> list() {
    return datasets.list();
  }

  @GetMapping("/api/dataset-versions/{versionId}")
  VersionJson version(@PathVariable UUID versionId) {
    DatasetSummary version =
        datasets.findVersion(versionId).orElseThrow(DatasetApiController::notFound);
    return new VersionJson(
        version,
        datasets.quality(versionId).orElse(null),
        datasets.preference(versionId).orElse(null));
  }

  @GetMapping("/api/dataset-versions/{versionId}/token-lengths")
  TokenLengths tokenLengths(
      @PathVariable UUID versionId,
      @RequestParam UUID model,
      @RequestParam(defaultValue = "" + TokenLengthService.DEFAULT_MAX_LENGTH) int maxLength) {
    datasets.findVersion(versionId).orElseThrow(DatasetApiController::notFound);
    return tokenLengths
        .find(versionId, model, maxLength)
        .orElseThrow(
            () -> new NoSuchElementException("No token lengths counted for this model and length"));
  }

  private static NoSuchElementException notFound() {
    return new NoSuchElementException("No such dataset version");
  }
}
