package dev.tuneforge.app.tenancy;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Every tenant's quotas unless a platform admin set its own: fine-tunes holding nodes at once,
 * fine-tunes waiting (validating or queued), bytes in storage under the tenant's prefix, background
 * tasks at once; and the span of recent node time that dispatch's fair share weighs.
 */
@ConfigurationProperties("tuneforge.quotas")
public record QuotaProperties(
    @DefaultValue("8") int runningJobs,
    @DefaultValue("100") int queuedJobs,
    @DefaultValue("100GB") DataSize storage,
    @DefaultValue("2") int backgroundWork,
    @DefaultValue("24h") Duration fairShareWindow) {}
