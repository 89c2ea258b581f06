package dev.tuneforge.app.apikey;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The API's OpenAPI 3.1 document ({@code /v3/api-docs}) and its browsable page ({@code
 * /swagger-ui/index.html}): open to anyone, since they hold no data, in their own stateless chain
 * with a Content-Security-Policy that allows only the page's own scripts.
 */
@Configuration
class ApiDocumentation {
  static final String BEARER = "apiKey";

  @Bean
  OpenAPI tuneforgeOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Tuneforge API")
                .version("1")
                .description(
                    "The native REST API. Authenticate with Authorization: Bearer tf_…; see"
                        + " docs/api.md."))
        .servers(List.of(new Server().url("/")))
        .components(
            new Components()
                .addSecuritySchemes(
                    BEARER,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description("An API key: tf_ and 43 letters and digits")))
        .addSecurityItem(new SecurityRequirement().addList(BEARER));
  }

  @Bean
  @Order(4)
  SecurityFilterChain apiDocumentationFilterChain(HttpSecurity http) throws Exception {
    return http.securityMatcher(
            "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
        .csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(cache -> cache.disable())
        .headers(
            headers ->
                headers.contentSecurityPolicy(
                    csp ->
                        csp.policyDirectives(
                            "default-src 'self'; script-src 'self'; style-src 'self'"
                                + " 'unsafe-inline'; img-src 'self' data:; connect-src 'self';"
                                + " frame-ancestors 'none'; form-action 'self'; base-uri 'self';"
                                + " object-src 'none'")))
        .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
        .build();
  }
}
