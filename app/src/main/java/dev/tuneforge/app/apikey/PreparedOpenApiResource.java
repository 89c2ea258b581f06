package dev.tuneforge.app.apikey;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springdoc.core.customizers.SpringDocCustomizers;
import org.springdoc.core.properties.SpringDocConfigProperties;
import org.springdoc.core.providers.SpringDocProviders;
import org.springdoc.core.service.AbstractRequestService;
import org.springdoc.core.service.GenericResponseService;
import org.springdoc.core.service.OpenAPIService;
import org.springdoc.core.service.OperationService;
import org.springdoc.core.utils.Constants;
import org.springdoc.webmvc.api.OpenApiWebMvcResource;
import org.springframework.beans.factory.ObjectFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * springdoc's {@code /v3/api-docs}, built once in the background when the app is ready rather than
 * by the first request: springdoc inspects every controller to build it (about 9 s on an idle
 * 2-core machine, 11 to 16 s under load), and the API page's first load waited for it. It is
 * springdoc's own document (same build, same writer, the one locale {@code
 * springdoc.allowed-locales} leaves; its servers are set by {@link ApiDocumentation}, not taken
 * from the request), and its bytes are served from then on. A request that comes before it is ready
 * waits for the build under way instead of starting another.
 */
class PreparedOpenApiResource extends OpenApiWebMvcResource {
  private static final Logger log = LoggerFactory.getLogger(PreparedOpenApiResource.class);

  private final Locale documentLocale;
  private final boolean prepareAtStartUp;
  private volatile byte @Nullable [] prepared;

  PreparedOpenApiResource(
      ObjectFactory<OpenAPIService> openApiBuilder,
      AbstractRequestService requestBuilder,
      GenericResponseService responseBuilder,
      OperationService operationParser,
      SpringDocConfigProperties properties,
      SpringDocProviders providers,
      SpringDocCustomizers customizers,
      boolean prepareAtStartUp) {
    super(
        openApiBuilder,
        requestBuilder,
        responseBuilder,
        operationParser,
        properties,
        providers,
        customizers);
    this.prepareAtStartUp = prepareAtStartUp;
    this.documentLocale =
        properties.getAllowedLocales() == null || properties.getAllowedLocales().isEmpty()
            ? Locale.getDefault()
            : Locale.forLanguageTag(properties.getAllowedLocales().getFirst());
  }

  @EventListener(ApplicationReadyEvent.class)
  void prepareInBackground() {
    if (!prepareAtStartUp) {
      return;
    }
    Thread.ofPlatform().daemon().name("openapi-document").start(this::prepare);
  }

  private void prepare() {
    long start = System.nanoTime();
    try {
      prepared = writeJsonValue(getOpenApi(documentLocale));
      log.info("Prepared the OpenAPI document in {} ms", (System.nanoTime() - start) / 1_000_000);
    } catch (JsonProcessingException | RuntimeException e) {
      log.warn("Could not prepare the OpenAPI document; the first request builds it", e);
    }
  }

  /** Whether the start-up build is done and its bytes are what requests get. */
  boolean prepared() {
    return prepared != null;
  }

  @Override
  @Operation(hidden = true)
  @GetMapping(value = Constants.API_DOCS_URL, produces = MediaType.APPLICATION_JSON_VALUE)
  public byte[] openapiJson(
      HttpServletRequest request, @Value(Constants.API_DOCS_URL) String apiDocsUrl, Locale locale)
      throws JsonProcessingException {
    byte[] document = prepared;
    return document != null ? document : super.openapiJson(request, apiDocsUrl, locale);
  }
}
