package dev.tuneforge.app.teacher;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The platform secret that encrypts tenants' stored credentials. {@code key}: any string of at
 * least 32 characters (production sets it, e.g. TUNEFORGE_SECRETS_KEY); without it the key is read
 * from {@code keyFile}, which is created with a random key on first use.
 */
@ConfigurationProperties("tuneforge.secrets")
record SecretsProperties(@Nullable String key, @DefaultValue("data/secrets.key") String keyFile) {}
