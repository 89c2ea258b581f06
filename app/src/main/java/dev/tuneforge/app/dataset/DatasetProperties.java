package dev.tuneforge.app.dataset;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Upload limits. */
@ConfigurationProperties("tuneforge.datasets")
record DatasetProperties(long maxUploadBytes) {}
