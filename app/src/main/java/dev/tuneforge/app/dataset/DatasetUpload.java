package dev.tuneforge.app.dataset;

/** A stored upload and the report of reading it, which lists any dropped rows. */
public record DatasetUpload(DatasetSummary dataset, ValidationReport report) {}
