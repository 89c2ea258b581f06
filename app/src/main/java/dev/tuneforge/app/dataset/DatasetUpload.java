package dev.tuneforge.app.dataset;

/** A stored upload, the report of reading it (which lists any dropped rows) and its quality. */
public record DatasetUpload(
    DatasetSummary dataset, ValidationReport report, QualityReport quality) {}
