package dev.tuneforge.app;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The app ships no credentials: started without the database's or the object store's, it stops
 * before connecting anywhere and names each missing setting with its environment variable.
 */
class RequiredSettingsTest {

  @Test
  void aStartWithoutCredentialsStopsAndNamesTheMissingSettings() {
    assertThatThrownBy(
            () ->
                new SpringApplicationBuilder(TuneforgeApplication.class)
                    .web(WebApplicationType.NONE)
                    .run(
                        "--spring.datasource.username=tuneforge",
                        "--tuneforge.storage.access-key=someone",
                        "--spring.main.banner-mode=off"))
        .hasMessageContaining("Tuneforge has no default credentials")
        .hasMessageContaining("spring.datasource.password (SPRING_DATASOURCE_PASSWORD)")
        .hasMessageContaining("tuneforge.storage.secret-key (TUNEFORGE_STORAGE_SECRET_KEY)")
        .hasMessageNotContaining("spring.datasource.username")
        .hasMessageNotContaining("access-key");
  }
}
