package dev.tuneforge.app.serving;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
@EnableConfigurationProperties(ServingProperties.class)
class GenerationRouterConfig {

  @Bean
  GenerationRouter generationRouter() {
    return new GenerationRouter();
  }
}
