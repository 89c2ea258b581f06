package dev.tuneforge.app.serving;

import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
@EnableConfigurationProperties(ServingProperties.class)
class GenerationRouterConfig {

  @Bean(destroyMethod = "close")
  GenerationRouter generationRouter(DataSource dataSource, ServingProperties properties) {
    return new GenerationRouter(dataSource, properties);
  }
}
