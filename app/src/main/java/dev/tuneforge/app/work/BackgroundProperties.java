package dev.tuneforge.app.work;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The threads of one app instance that run tenants' background work, apart from Quartz's own that
 * dispatch and node liveness use.
 */
@ConfigurationProperties("tuneforge.background")
record BackgroundProperties(@DefaultValue("3") int threads) {}
