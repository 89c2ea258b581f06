package dev.tuneforge.app;

import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * The app ships no credentials: the database's and the object store's come from where it runs (the
 * local platform, Compose's {@code .env}, the Helm chart's secrets). Started without one, it stops
 * before connecting anywhere, naming the setting and its environment variable.
 */
final class RequiredSettings implements BeanFactoryPostProcessor, EnvironmentAware {
  private static final Map<String, String> SETTINGS =
      Map.of(
          "spring.datasource.username", "SPRING_DATASOURCE_USERNAME",
          "spring.datasource.password", "SPRING_DATASOURCE_PASSWORD",
          "tuneforge.storage.access-key", "TUNEFORGE_STORAGE_ACCESS_KEY",
          "tuneforge.storage.secret-key", "TUNEFORGE_STORAGE_SECRET_KEY");

  private Environment environment;

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void postProcessBeanFactory(
      org.springframework.beans.factory.config.ConfigurableListableBeanFactory beanFactory) {
    List<String> missing =
        SETTINGS.keySet().stream()
            .sorted()
            .filter(name -> environment.getProperty(name, "").isBlank())
            .map(name -> name + " (" + SETTINGS.get(name) + ")")
            .toList();
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "Tuneforge has no default credentials; set "
              + String.join(", ", missing)
              + ". ./run.sh sets its own for the local platform; docker/.env and the Helm chart's"
              + " secrets set them in containers.");
    }
  }
}
