package dev.tuneforge.app.observability;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The scrape credential for {@code /actuator/prometheus} and the health details (no password: no
 * one gets them), and how often the gauges read the database.
 *
 * @param username the user Prometheus sends with HTTP basic authentication
 * @param password its password; empty refuses every scrape
 * @param refresh how old the queue and node gauges may be
 */
@ConfigurationProperties("tuneforge.metrics")
record MetricsProperties(
    @DefaultValue("prometheus") String username,
    @DefaultValue("") String password,
    @DefaultValue("15s") Duration refresh) {}
