package dev.tuneforge.app.catalog;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Model folder uploads.
 *
 * @param abandonedUploadAge how long an upload may go without a part arriving before the clean-up
 *     aborts it and deletes what it stored; until then a reloaded page can resume it
 */
@ConfigurationProperties("tuneforge.models")
public record ModelUploadProperties(@DefaultValue("7d") Duration abandonedUploadAge) {}
