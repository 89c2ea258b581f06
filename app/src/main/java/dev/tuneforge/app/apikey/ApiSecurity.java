package dev.tuneforge.app.apikey;

import jakarta.servlet.DispatcherType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The public API's chain for {@code /v1/**} and {@code /api/**}, after the node API's and before
 * the browser's: API keys only. No session is created or read, so a browser's session cookie never
 * satisfies it, and without cookies there is nothing for CSRF to protect. 401 (and 429) answer in
 * the shape of each API ({@link ApiErrors}).
 */
@Configuration
class ApiSecurity {
  static final String NODE_API = "/api/node";

  @Bean
  @Order(3)
  SecurityFilterChain apiFilterChain(
      HttpSecurity http, ApiKeys keys, RateLimiter limiter, SecurityContextHolderStrategy strategy)
      throws Exception {
    // Errors of API calls are dispatched to /error: they stay in this chain, so that a client
    // gets the status and a JSON body, never the sign-in page's redirect.
    RequestMatcher api =
        request -> {
          String path = ApiErrors.path(request);
          return !ApiErrors.under(path, NODE_API)
              && (ApiErrors.under(path, ApiErrors.OPENAI_BASE)
                  || ApiErrors.under(path, ApiErrors.NATIVE_BASE));
        };
    return http.securityMatcher(api)
        .csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .securityContext(
            c -> c.securityContextRepository(new RequestAttributeSecurityContextRepository()))
        .requestCache(cache -> cache.disable())
        .addFilterBefore(
            new ApiKeyFilter(keys, limiter, strategy), AnonymousAuthenticationFilter.class)
        .authorizeHttpRequests(
            auth ->
                auth.dispatcherTypeMatchers(DispatcherType.ERROR)
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .exceptionHandling(
            e ->
                e.authenticationEntryPoint(
                    (request, response, failure) ->
                        ApiErrors.write(
                            request,
                            response,
                            HttpStatus.UNAUTHORIZED,
                            ApiKeyFilter.INVALID_KEY,
                            "Send an API key: Authorization: Bearer tf_…")))
        .build();
  }
}
