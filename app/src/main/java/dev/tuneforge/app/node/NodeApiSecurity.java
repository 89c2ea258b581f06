package dev.tuneforge.app.node;

import dev.tuneforge.protocol.NodeApi;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;

/**
 * The node API's own chain: stateless, no CSRF (no browser), bearer node credentials, 401 for
 * anyone else. Enrolment is open because the one-time token is checked by the service.
 */
@Configuration
class NodeApiSecurity {

  @Bean
  @Order(1)
  SecurityFilterChain nodeApiFilterChain(
      HttpSecurity http, NodeService nodes, ObjectProvider<SecurityContextHolderStrategy> contexts)
      throws Exception {
    SecurityContextHolderStrategy strategy =
        contexts.getIfUnique(SecurityContextHolder::getContextHolderStrategy);
    return http.securityMatcher(NodeApi.BASE + "/**")
        .csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(cache -> cache.disable())
        .addFilterBefore(
            new NodeCredentialFilter(nodes, strategy), AnonymousAuthenticationFilter.class)
        .authorizeHttpRequests(
            auth -> auth.requestMatchers(NodeApi.ENROL).permitAll().anyRequest().hasRole("NODE"))
        .exceptionHandling(
            e -> e.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED)))
        .build();
  }
}
