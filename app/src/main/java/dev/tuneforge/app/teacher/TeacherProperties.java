package dev.tuneforge.app.teacher;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How teacher calls are made: the time one call may take, how often a failed call is retried (429,
 * 5xx, timeouts and connection errors) and the first backoff, doubled each retry; and how many runs
 * one app instance works on at once, so that runs never take every Quartz thread from dispatch and
 * node liveness.
 */
@ConfigurationProperties("tuneforge.teacher")
record TeacherProperties(
    @DefaultValue("120s") Duration callTimeout,
    @DefaultValue("3") int retries,
    @DefaultValue("2s") Duration backoff,
    @DefaultValue("2") int maxConcurrentRuns) {}
