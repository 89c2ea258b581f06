package dev.tuneforge.app.catalog;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;

/**
 * The model API's own chain for scripts: stateless, no CSRF (no browser session), HTTP Basic with
 * the platform's own accounts, 401 for anyone else. What each role may do is the service's call.
 */
@Configuration
class ModelApiSecurity {

  @Bean
  @Order(2)
  SecurityFilterChain modelApiFilterChain(HttpSecurity http) throws Exception {
    return http.securityMatcher(ModelApiController.BASE, ModelApiController.BASE + "/**")
        .csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(cache -> cache.disable())
        .httpBasic(basic -> basic.authenticationEntryPoint(unauthorized()))
        .authorizeHttpRequests(auth -> auth.anyRequest().authenticated())
        .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized()))
        .build();
  }

  private static HttpStatusEntryPoint unauthorized() {
    return new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED);
  }
}
