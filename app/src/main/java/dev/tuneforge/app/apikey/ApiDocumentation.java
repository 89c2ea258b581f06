package dev.tuneforge.app.apikey;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import org.springdoc.core.customizers.SpringDocCustomizers;
import org.springdoc.core.properties.SpringDocConfigProperties;
import org.springdoc.core.providers.SpringDocProviders;
import org.springdoc.core.service.AbstractRequestService;
import org.springdoc.core.service.GenericResponseService;
import org.springdoc.core.service.OpenAPIService;
import org.springdoc.core.service.OperationService;
import org.springframework.beans.factory.ObjectFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The API's OpenAPI 3.1 document ({@code /v3/api-docs}) and its browsable page ({@code
 * /swagger-ui/index.html}): open to anyone, since they hold no data, in their own stateless chain
 * with a Content-Security-Policy that allows only the page's own scripts. The document is built at
 * start-up ({@link PreparedOpenApiResource}), so the page's first load does not wait for it.
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

  /**
   * springdoc's document resource, built at start-up unless {@code
   * tuneforge.api-docs.prepare-at-start-up} is false (tests that do not read it): it takes the
   * place of springdoc's own.
   */
  @Bean
  PreparedOpenApiResource preparedOpenApiResource(
      ObjectFactory<OpenAPIService> openApiBuilder,
      AbstractRequestService requestBuilder,
      GenericResponseService responseBuilder,
      OperationService operationParser,
      SpringDocConfigProperties properties,
      SpringDocProviders providers,
      SpringDocCustomizers customizers,
      @Value("${tuneforge.api-docs.prepare-at-start-up:true}") boolean prepareAtStartUp) {
    return new PreparedOpenApiResource(
        openApiBuilder,
        requestBuilder,
        responseBuilder,
        operationParser,
        properties,
        providers,
        customizers,
        prepareAtStartUp);
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
