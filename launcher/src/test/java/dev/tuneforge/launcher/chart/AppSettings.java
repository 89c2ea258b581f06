package dev.tuneforge.launcher.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;

/**
 * The settings the app reads: every property in the configuration metadata on its class path
 * (Spring Boot's and the app's own {@code @ConfigurationProperties}, written by the configuration
 * processor) plus the keys of its application.yml, matched to environment variables by Spring
 * Boot's relaxed binding (upper case, dots to underscores, dashes dropped or to underscores).
 */
final class AppSettings {
  private final Set<String> variables = new HashSet<>();
  private final Set<String> mapPrefixes = new HashSet<>();
  private final Map<String, String> defaults = new HashMap<>();

  AppSettings() {
    try {
      ObjectMapper json = new ObjectMapper();
      for (URL url :
          Collections.list(
              getClass()
                  .getClassLoader()
                  .getResources("META-INF/spring-configuration-metadata.json"))) {
        try (InputStream in = url.openStream()) {
          for (JsonNode property : json.readTree(in).path("properties")) {
            String name = property.path("name").asText();
            variables.addAll(variables(name));
            if (property.path("type").asText().startsWith("java.util.Map")) {
              variables(name).forEach(v -> mapPrefixes.add(v + "_"));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
    yaml.setResources(new ClassPathResource("application.yml"));
    Properties local = yaml.getObject();
    local
        .stringPropertyNames()
        .forEach(
            key -> {
              variables.addAll(variables(key));
              defaults.put(key, local.getProperty(key));
            });
  }

  /** Whether Spring Boot binds this environment variable to a setting the app has. */
  boolean reads(String variable) {
    return variables.contains(variable)
        || mapPrefixes.stream().anyMatch(prefix -> variable.startsWith(prefix));
  }

  /** application.yml's values, by property name: the laptop defaults. */
  Map<String, String> defaults() {
    return defaults;
  }

  static Set<String> variables(String property) {
    String upper =
        property.toUpperCase(Locale.ROOT).replace('.', '_').replace("[", "_").replace("]", "");
    return new HashSet<>(List.of(upper.replace("-", ""), upper.replace('-', '_')));
  }
}
