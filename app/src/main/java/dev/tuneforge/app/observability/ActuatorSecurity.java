package dev.tuneforge.app.observability;

import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;

/**
 * The actuator's own chain, before the browser's: Kubernetes' probes are open (they say up or down,
 * nothing more); metrics and health details need the scrape credential over HTTP basic. The
 * credential is no app account, so signing in to the UI never grants it and it never signs in.
 */
@Configuration
@EnableConfigurationProperties(MetricsProperties.class)
class ActuatorSecurity {
  static final String SCRAPER = "METRICS";

  @Bean
  @Order(2)
  SecurityFilterChain actuatorFilterChain(
      HttpSecurity http, MetricsProperties properties, PasswordEncoder encoder) throws Exception {
    return http.securityMatcher("/actuator/**")
        .csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(cache -> cache.disable())
        .authenticationManager(scraper(properties, encoder))
        .httpBasic(basic -> basic.authenticationEntryPoint(unauthorized()))
        .authorizeHttpRequests(
            auth ->
                auth.requestMatchers(
                        "/actuator/health",
                        "/actuator/health/liveness",
                        "/actuator/health/readiness")
                    .permitAll()
                    .anyRequest()
                    .hasRole(SCRAPER))
        .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized()))
        .build();
  }

  private static HttpStatusEntryPoint unauthorized() {
    return new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED);
  }

  private static AuthenticationManager scraper(
      MetricsProperties properties, PasswordEncoder encoder) {
    if (properties.password().isBlank()) {
      return authentication -> {
        throw new BadCredentialsException("no scrape credential is configured");
      };
    }
    var user =
        User.withUsername(properties.username())
            .password(encoder.encode(properties.password()))
            .roles(SCRAPER)
            .build();
    var provider = new DaoAuthenticationProvider(new InMemoryUserDetailsManager(user));
    provider.setPasswordEncoder(encoder);
    return new ProviderManager(List.of(provider));
  }
}
