package dev.tuneforge.app.node;

import dev.tuneforge.protocol.NodeApi;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The node API's own chain: stateless, no CSRF (no browser), bearer node credentials, 401 for
 * anyone else. Enrolment is open because the one-time token is checked by the service.
 */
@Configuration
class NodeApiSecurity {

  @Bean
  @Order(1)
  SecurityFilterChain nodeApiFilterChain(
      HttpSecurity http, NodeService nodes, SecurityContextHolderStrategy strategy)
      throws Exception {
    // Errors of node API calls are dispatched to /error: they stay in this chain, so that a node
    // gets the status and a JSON body, never the sign-in page's redirect.
    RequestMatcher nodeApi = PathPatternRequestMatcher.withDefaults().matcher(NodeApi.BASE + "/**");
    RequestMatcher nodeApiError =
        request ->
            request.getDispatcherType() == DispatcherType.ERROR
                && String.valueOf(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI))
                    .startsWith(NodeApi.BASE + "/");
    return http.securityMatcher(new OrRequestMatcher(nodeApi, nodeApiError))
        .csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(cache -> cache.disable())
        .addFilterBefore(
            new NodeCredentialFilter(nodes, strategy), AnonymousAuthenticationFilter.class)
        .authorizeHttpRequests(
            auth ->
                auth.dispatcherTypeMatchers(DispatcherType.ERROR)
                    .permitAll()
                    .requestMatchers(NodeApi.ENROL)
                    .permitAll()
                    .anyRequest()
                    .hasRole("NODE"))
        .exceptionHandling(
            e -> e.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED)))
        .build();
  }
}
